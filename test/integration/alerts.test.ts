import { parse, subscribe } from "graphql";
import type { Actor } from "../../src/core/auth/actor";
import { ReadLog } from "../../src/core/audit/read-log";
import { Role } from "../../src/core/auth/roles";
import { LoaderRegistry, type Context } from "../../src/core/context";
import { createLogger } from "../../src/core/logger";
import { Topic } from "../../src/core/pubsub";
import { checkSpikes, sweepSpikes } from "../../src/modules/aggregates/alert.service";
import { createTestApp, type TestApp } from "../helpers/app";
import { insertIncidents, type BulkIncident } from "../helpers/bulk";
import { RECORD, validForm } from "../helpers/forms";

let app: TestApp;
let deps: Parameters<typeof checkSpikes>[0];
const published: Array<Record<string, unknown>> = [];
const HOUR = 3600_000;
// Ten days ago, on the hour: the cluster happens after it.
const T0 = new Date(Math.floor((Date.now() - 10 * 24 * HOUR) / HOUR) * HOUR);
const CLUSTER_POINT = { lat: 54.784, lng: -1.356 };

beforeAll(async () => {
  app = await createTestApp();
  deps = { dataSource: app.ds, config: app.config, pubsub: app.pubsub };
  void (async () => {
    for await (const p of app.pubsub.engine.subscribe(Topic.ALERT_RAISED)) published.push(p as Record<string, unknown>);
  })();
});
afterAll(() => app.close());

const alertRows = () => app.ds.query(`SELECT id, "areaCode", h3, "window", "closedAt", count, "peakCount" FROM spike_alert ORDER BY "openedAt", h3 NULLS FIRST, "window"`);

/** Ordinary data: two administrations a day, evenly spread in time and over the area, for 90 days. */
function scattered(areaCode: string, agencyCode: string, centre: { lat: number; lng: number }, endAt: Date): BulkIncident[] {
  return Array.from({ length: 180 }, (_, k) => ({
    agencyCode,
    areaCode,
    occurredAt: new Date(endAt.getTime() - (180 - k) * 12 * HOUR + 17 * 60_000),
    location: { lat: centre.lat + ((k % 7) - 3) * 0.012, lng: centre.lng + ((k % 5) - 2) * 0.02 },
  }));
}

describe("spike alerts", () => {
  it("ordinary scattered data raises none", async () => {
    const background = [
      ...scattered("DUR-EASINGTON", "DUR", CLUSTER_POINT, T0),
      ...scattered("DUR-DURHAM", "DUR", { lat: 54.7761, lng: -1.5733 }, T0),
    ];
    await insertIncidents(app.ds, background);
    // Checked as each incident of the last 31 days arrives (earlier ones have no 28-day baseline yet).
    const cells: Array<{ areaCode: string; h3r7: string; occurredAt: Date }> = await app.ds.query(
      `SELECT "areaCode", h3r7, "occurredAt" FROM incident WHERE "occurredAt" > $1::timestamptz - interval '31 days' ORDER BY "occurredAt"`, [T0]);
    expect(cells.length).toBeGreaterThan(100);
    for (const c of cells) {
      const r = await checkSpikes(deps, { areaCode: c.areaCode, h3r7: c.h3r7, at: c.occurredAt });
      expect(r.opened).toEqual([]);
    }
    expect(await alertRows()).toEqual([]);
    expect(published).toEqual([]);
  });

  it("an injected cluster raises exactly one alert per area or cell and window, updated as it grows, not one per incident", async () => {
    const officer = await app.token("DUR", Role.OFFICER);
    const opened: string[] = [];
    const updated: string[] = [];
    for (let k = 0; k < 9; k++) {
      const occurredAt = new Date(T0.getTime() + (k + 1) * 40 * 60_000);
      const r = await app.gql(RECORD, { input: validForm({ occurredAt: occurredAt.toISOString(), location: CLUSTER_POINT, ambulanceCalledAt: null, ambulanceArrivedAt: null }) }, officer);
      expect(r.errors).toBeUndefined();
      const [{ h3r7 }] = await app.ds.query(`SELECT h3r7 FROM incident WHERE id = $1`, [r.data!.recordNaloxoneAdministration.id]);
      const result = await checkSpikes(deps, { areaCode: "DUR-EASINGTON", h3r7, at: occurredAt });
      opened.push(...result.opened);
      updated.push(...result.updated);
    }
    const rows = await alertRows();
    const keys = rows.map((a: { h3: string | null; window: string }) => `${a.h3 ?? "area"}/${a.window}`);
    expect(new Set(keys).size).toBe(keys.length); // never two episodes for one key
    expect(rows.length).toBe(opened.length);
    expect(updated.length).toBeGreaterThan(0);
    // The cluster's own cell in the 24-hour window, once, and only ever in the cluster's area.
    const clusterCell = rows.filter((a: { h3: string | null; window: string }) => a.h3 !== null && a.window === "HOURS_24");
    expect(clusterCell).toHaveLength(1);
    expect(clusterCell[0].peakCount).toBeGreaterThanOrEqual(9);
    expect(rows.every((a: { areaCode: string; closedAt: Date | null }) => a.areaCode === "DUR-EASINGTON" && a.closedAt === null)).toBe(true);
    // Published once per new alert, after commit, with ids only.
    await new Promise((r) => setTimeout(r, 20));
    expect(published).toEqual(opened.map((alertId) => ({ alertId, areaCode: "DUR-EASINGTON" })));
  });

  it("lists alerts for aggregate readers of agencies serving the area, with the small-number rule", async () => {
    const ALERTS = `query($filter: AlertFilter) { alerts(filter: $filter) { id areaCode h3 window status count suppressed expected pValue openedAt closedAt } }`;
    const analyst = await app.token("PH-ENG", Role.ANALYST);
    const r = await app.gql(ALERTS, { filter: { status: "OPEN" } }, analyst);
    expect(r.errors).toBeUndefined();
    const list = r.data!.alerts;
    expect(list.length).toBe((await alertRows()).length);
    for (const a of list) {
      expect(a.status).toBe("OPEN");
      expect(a.count === null ? a.suppressed : a.count % 5 === 0 && a.count > 7).toBe(true);
      expect(a.pValue).toBeLessThanOrEqual(0.01);
      expect(Math.log10(a.pValue) % 1).toBeCloseTo(0, 9);
    }
    const cell24 = list.find((a: { h3: string | null; window: string }) => a.h3 && a.window === "HOURS_24");
    expect(cell24).toMatchObject({ count: 10, suppressed: false });
    // Another force's analyst serves other areas and sees none of them; an officer sees no aggregates.
    expect((await app.gql(ALERTS, {}, await app.token("CLE", Role.ANALYST))).data!.alerts).toEqual([]);
    expect((await app.gql(ALERTS, {}, await app.token("DUR", Role.OFFICER))).errors![0].extensions.code).toBe("FORBIDDEN");
    // Incident and person ids never appear.
    const ids: Array<{ id: string; personId: string }> = await app.ds.query(`SELECT id, "personId" FROM incident`);
    const text = JSON.stringify(r.body);
    expect(ids.some((i) => text.includes(i.id) || text.includes(i.personId))).toBe(false);
  });

  it("closes episodes when the spike is over and opens a new one for a later cluster, keeping the history", async () => {
    const before = await alertRows();
    const swept = await sweepSpikes(deps, new Date(T0.getTime() + 5 * 24 * HOUR));
    expect(swept.closed.sort()).toEqual(before.map((a: { id: string }) => a.id).sort());
    expect((await alertRows()).every((a: { closedAt: Date | null }) => a.closedAt !== null)).toBe(true);

    const later = new Date(T0.getTime() + 6 * 24 * HOUR);
    await insertIncidents(app.ds, Array.from({ length: 9 }, (_, k) => ({ agencyCode: "DUR", areaCode: "DUR-EASINGTON", occurredAt: new Date(later.getTime() + k * 60_000), location: CLUSTER_POINT })));
    const [{ h3r7 }] = await app.ds.query(`SELECT h3r7 FROM incident WHERE "occurredAt" >= $1 LIMIT 1`, [later]);
    const again = await checkSpikes(deps, { areaCode: "DUR-EASINGTON", h3r7, at: new Date(later.getTime() + 10 * 60_000) });
    expect(again.opened.length).toBeGreaterThan(0);
    expect(again.opened.some((id) => before.some((a: { id: string }) => a.id === id))).toBe(false);
    const rows = await alertRows();
    expect(rows.filter((a: { closedAt: Date | null }) => a.closedAt === null)).toHaveLength(again.opened.length);
    expect(rows.length).toBe(before.length + again.opened.length);
  });

  it("concurrent checks of one spike make one episode, not two", async () => {
    const at = new Date(T0.getTime() + 6 * 24 * HOUR + 20 * 60_000);
    await app.ds.query(`UPDATE spike_alert SET "closedAt" = $1 WHERE "closedAt" IS NULL`, [at]);
    const [{ h3r7 }] = await app.ds.query(`SELECT h3r7 FROM incident WHERE "occurredAt" >= $1 LIMIT 1`, [new Date(T0.getTime() + 6 * 24 * HOUR)]);
    const later = new Date(at.getTime() + 60_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => checkSpikes(deps, { areaCode: "DUR-EASINGTON", h3r7, at: later })));
    const opened = results.flatMap((r) => r.opened);
    const open = (await alertRows()).filter((a: { closedAt: Date | null }) => a.closedAt === null);
    expect(open.map((a: { id: string }) => a.id).sort()).toEqual([...opened].sort());
    expect(new Set(open.map((a: { h3: string | null; window: string }) => `${a.h3}/${a.window}`)).size).toBe(open.length);
  });

  it("alertRaised delivers an alert, loaded by id, only to subscribers whose agency serves its area", async () => {
    const contextFor = async (code: string, role: Role): Promise<Context> => {
      const [a] = await app.ds.query(`SELECT id, code, kind, "areaCodes" FROM agency WHERE code = $1`, [code]);
      const actor: Actor = { sub: `${code}-sub`, agency: { id: a.id, code: a.code, kind: a.kind, areaCodes: a.areaCodes }, roles: [role], collarNumber: null, requestId: null };
      return { config: app.config, dataSource: app.ds, logger: createLogger(app.config), clock: app.clock, pubsub: app.pubsub, requestId: "sub-test", actor, loaders: new LoaderRegistry(), readLog: new ReadLog() };
    };
    const document = parse(`subscription($areas: [String!]) { alertRaised(areaCodes: $areas) { id areaCode h3 window count suppressed pValue } }`);
    const open = async (code: string, role: Role, areas: string[] | null = null) => {
      const it = await subscribe({ schema: app.hub.schema, document, contextValue: await contextFor(code, role), variableValues: { areas } });
      if (!(Symbol.asyncIterator in it)) return { refused: it };
      return { iterator: it as AsyncGenerator<any> };
    };
    const durAnalyst = await open("DUR", Role.ANALYST);
    const durAnalystOtherArea = await open("DUR", Role.ANALYST, ["DUR-DURHAM"]);
    const cleAnalyst = await open("CLE", Role.ANALYST);
    const officer = await open("DUR", Role.OFFICER);
    // The permission layer guards `subscribe` as well as each delivery (src/schema.ts): an officer's
    // subscription is refused before it starts.
    expect(officer.iterator).toBeUndefined();
    expect((officer.refused as any).errors[0].extensions.code).toBe("FORBIDDEN");
    const next = [durAnalyst, durAnalystOtherArea, cleAnalyst].map((s) => s.iterator!.next());

    const [alert] = await app.ds.query(`SELECT id FROM spike_alert WHERE "areaCode" = 'DUR-EASINGTON' ORDER BY "openedAt" DESC LIMIT 1`);
    app.pubsub.publish(Topic.ALERT_RAISED, { alertId: alert.id, areaCode: "DUR-EASINGTON" });
    const first = await next[0];
    expect(first.value.errors).toBeUndefined();
    expect(first.value.data.alertRaised).toMatchObject({ id: alert.id, areaCode: "DUR-EASINGTON", window: expect.any(String) });
    // The others skipped it: what reaches them first is a later event for their own areas.
    const unknown = "00000000-0000-4000-8000-000000000000";
    app.pubsub.publish(Topic.ALERT_RAISED, { alertId: unknown, areaCode: "DUR-DURHAM" });
    app.pubsub.publish(Topic.ALERT_RAISED, { alertId: unknown, areaCode: "CLE-REDCAR" });
    for (const got of [await next[1], await next[2]]) {
      expect(got.value.data).toBeNull();
      expect(got.value.errors[0].extensions.code).toBe("NOT_FOUND");
    }
    for (const s of [durAnalyst, durAnalystOtherArea, cleAnalyst]) await s.iterator!.return?.(undefined);
  });
});
