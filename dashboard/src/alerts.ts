// Spike alerts: the open ones at sign-in, then new ones pushed live by the `alertRaised` subscription
// over graphql-ws on the same /graphql path, authenticated by the token in connectionParams.

import { createClient, type Client } from "graphql-ws";
import { AlertRaisedDocument, AlertsDocument, gql, session, subscriptionUrl, type AlertsQuery } from "./api.js";

type SpikeAlert = AlertsQuery["alerts"][number];

const WINDOW_TEXT = { HOURS_24: "24-hour window", HOURS_72: "72-hour window" } as const;

function describe(a: SpikeAlert): string {
  const where = a.h3 ? `${a.areaCode}, cell ${a.h3}` : `${a.areaCode} (whole area)`;
  const count = a.suppressed ? "count suppressed" : `${a.count} administrations`;
  const expected = a.expected === null ? "expected not published" : `expected ${a.expected}`;
  return `${where}: ${count} in the ${WINDOW_TEXT[a.window]} (${expected}; p ≤ ${a.pValue})`;
}

function item(a: SpikeAlert, live: boolean): HTMLLIElement {
  const li = document.createElement("li");
  li.dataset.alertId = a.id;
  if (live) {
    li.dataset.live = "true";
    li.className = "live";
  }
  const time = document.createElement("time");
  time.dateTime = a.openedAt;
  time.textContent = new Date(a.openedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
  const badge = Object.assign(document.createElement("span"), { className: "badge", textContent: live ? "New" : a.status === "OPEN" ? "Open" : "Closed" });
  li.append(badge, " ", time, " — ", describe(a));
  return li;
}

let client: Client | null = null;

export async function startAlerts(list: HTMLUListElement, status: HTMLElement): Promise<void> {
  stopAlerts();
  list.replaceChildren();
  const open = await gql(AlertsDocument, { filter: { status: "OPEN" } });
  for (const a of open.alerts.slice(0, 20)) list.appendChild(item(a, false));
  if (open.alerts.length === 0) list.appendChild(Object.assign(document.createElement("li"), { className: "none", textContent: "No open alerts in your agency's areas." }));

  client = createClient({
    url: subscriptionUrl(),
    connectionParams: () => ({ authorization: `Bearer ${session.get() ?? ""}` }),
    lazy: false, // connect now, so the status line is true before any alert arrives
    retryAttempts: 20,
    on: {
      connected: () => void (status.textContent = "Live: connected, new alerts appear here as they are raised."),
      closed: () => void (status.textContent = "Live: disconnected, retrying…"),
    },
  });
  client.subscribe<{ alertRaised: SpikeAlert }>(
    { query: AlertRaisedDocument },
    {
      next: ({ data }) => {
        if (!data) return;
        list.querySelector("li.none")?.remove();
        list.prepend(item(data.alertRaised, true));
      },
      error: () => void (status.textContent = "Live: the subscription was refused or failed."),
      complete: () => undefined,
    },
  );
}

export function stopAlerts(): void {
  void client?.dispose();
  client = null;
}
