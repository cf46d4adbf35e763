// Naloxone Hub partner dashboard: sign in with a token, pick a period and substance, and see the
// published aggregates. Everything comes from the public GraphQL API; nothing here is privileged.

import { startAlerts, stopAlerts } from "./alerts.js";
import { ApiError, gql, HEATMAP, KPIS, PRISON_TOTAL, PRISONS, session, WEEKLY, type CoverageFigures, type Heatmap, type Kpis, type WeeklySeries } from "./api.js";
import { drawPrisons, drawWeekly } from "./charts.js";
import { formatCount, formatMinutes, formatRatio, formatShare, periodFor } from "./format.js";
import { drawMap } from "./map.js";
import { loadProgramme } from "./programme.js";

const $ = <T extends HTMLElement | SVGElement = HTMLElement>(id: string) => document.getElementById(id) as unknown as T;

/** The filters as the API takes them. The KPI API has no substance filter, so KPIs ignore it (the page says so). */
function currentFilters() {
  const weeks = Number(($("window") as HTMLSelectElement).value);
  const substance = ($("substance") as HTMLSelectElement).value;
  const resolution = Number(($("resolution") as HTMLSelectElement).value);
  const { from, to } = periodFor(weeks, new Date());
  return { from, to, substance, resolution };
}

function showError(id: string, e: unknown): void {
  if (e instanceof ApiError && e.code === "UNAUTHENTICATED") {
    // The token expired (or was revoked) while the page was open: back to sign-in, saying why.
    signOut();
    $("sign-in-error").textContent = "Your token is no longer accepted (it may have expired): paste a new one.";
    return;
  }
  $(id).textContent = e instanceof ApiError ? `Could not load (${e.code}): ${e.message}` : "Could not load: the hub did not answer.";
}

/** KPI tiles: the figure is text (screen readers read it), with what it means underneath. */
function renderKpis(k: Kpis): void {
  const tiles: Array<[string, string, string]> = [
    ["administrations", "Administrations", formatCount(k.administrations)],
    ["overdosesReversed", "Overdoses reversed", formatCount(k.overdosesReversed)],
    ["reversedShare", "Share reversed", formatShare(k.reversedShare)],
    ["dosesPerAdministration", "Doses per administration", formatRatio(k.dosesPerAdministration)],
    ["firstAidShare", "With first aid", formatShare(k.firstAidShare)],
    ["ambulanceResponseMedianMinutes", "Ambulance response, median", formatMinutes(k.ambulanceResponseMedianMinutes)],
    ["seenByParamedicsShare", "Seen by paramedics", formatShare(k.seenByParamedicsShare)],
    ["resupplyRequests", "Kit resupply requests", formatCount(k.resupplyRequests)],
  ];
  const box = $("kpis");
  box.replaceChildren();
  for (const [key, label, value] of tiles) {
    const tile = Object.assign(document.createElement("div"), { className: "tile" });
    tile.dataset.kpi = key;
    const v = Object.assign(document.createElement("p"), { className: "value", textContent: value });
    if (value === "suppressed" || value === "not published") v.classList.add("withheld");
    tile.append(v, Object.assign(document.createElement("p"), { className: "label", textContent: label }));
    box.appendChild(tile);
  }
  $("rule").textContent = `Small-number rule: counts from 1 to ${k.suppression.max} are suppressed, others are rounded to the nearest ${k.suppression.roundTo}.`;
}

async function loadPrisons(from: Date, to: Date, mine: number): Promise<void> {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const filter = { from: day(from), to: day(to) };
  const all = await gql<{ prisonNaloxoneCoverage: { rows: Array<{ prisonCode: string }>; total: CoverageFigures; nationalReferenceShare: number; forwardTrustReferenceShare: number } }>(PRISONS, { filter });
  const c = all.prisonNaloxoneCoverage;
  // The API reports by prison and month; one call per prison gives that prison's figures for the whole period.
  const codes = [...new Set(c.rows.map((r) => r.prisonCode))].sort();
  const prisons = await Promise.all(
    codes.map(async (code) => ({ code, figures: (await gql<{ prisonNaloxoneCoverage: { total: CoverageFigures } }>(PRISON_TOTAL, { filter: { ...filter, prisonCodes: [code] } })).prisonNaloxoneCoverage.total })),
  );
  if (codes.length > 1) prisons.push({ code: "All prisons", figures: c.total });
  if (mine !== generation) return;
  drawPrisons($<SVGSVGElement>("prisons"), $<HTMLTableSectionElement>("prisons-rows"), prisons, { national: c.nationalReferenceShare, forwardTrust: c.forwardTrustReferenceShare });
}

let generation = 0;

/** Loads every panel for the current filters; each panel fails on its own. A later change wins. */
async function refresh(): Promise<void> {
  const mine = ++generation;
  // Drop answers to an earlier choice of filters that arrive after a later one's.
  const current = <T>(render: (d: T) => void) => (d: T) => void (mine === generation && render(d));
  const { from, to, substance, resolution } = currentFilters();
  const filter = { from: from.toISOString(), to: to.toISOString(), ...(substance ? { substances: [substance] } : {}) };
  const form = $("filters");
  form.dataset.from = filter.from;
  form.dataset.to = filter.to;
  $("period").textContent = `${from.toISOString().slice(0, 10)} to ${new Date(to.getTime() - 1).toISOString().slice(0, 10)} (UTC)${substance ? `, ${substance.toLowerCase().replace(/_/g, " ")} only` : ""}`;
  document.body.setAttribute("aria-busy", "true");
  for (const id of ["weekly-error", "prisons-error"]) $(id).textContent = "";
  await Promise.all([
    gql<{ kpis: Kpis }>(KPIS, { filter: { from: filter.from, to: filter.to } }).then(current((d: { kpis: Kpis }) => renderKpis(d.kpis)), (e) => showError("kpis", e)),
    gql<{ heatmap: Heatmap }>(HEATMAP, { filter, resolution }).then(
      current((d: { heatmap: Heatmap }) => drawMap({ svg: $<SVGSVGElement>("map"), legend: $("legend"), table: $<HTMLTableSectionElement>("cells-rows"), summary: $("map-summary") }, d.heatmap)),
      (e) => showError("map-summary", e),
    ),
    gql<{ administrationsByWeek: WeeklySeries }>(WEEKLY, { filter }).then(
      current((d: { administrationsByWeek: WeeklySeries }) => drawWeekly($<SVGSVGElement>("weekly"), $<HTMLTableSectionElement>("weekly-rows"), d.administrationsByWeek)),
      (e) => showError("weekly-error", e),
    ),
    loadPrisons(from, to, mine).catch((e) => showError("prisons-error", e)),
    loadProgramme($("programme"), from, to).catch((e) => showError("programme-error", e)),
  ]);
  if (mine !== generation) return;
  document.body.setAttribute("aria-busy", "false");
  document.body.dataset.loaded = "true";
}

async function signIn(): Promise<void> {
  const error = $("sign-in-error");
  error.textContent = "";
  try {
    // A cheap aggregate call proves the token works and the role may read aggregates.
    await gql(`{ kpis { suppression { max } } }`);
  } catch (e) {
    session.clear();
    error.textContent =
      e instanceof ApiError && e.code === "FORBIDDEN"
        ? "This token's role cannot read aggregates: use an ANALYST token (or a lead role)."
        : e instanceof ApiError && e.code === "UNAUTHENTICATED"
          ? "The hub did not accept this token (expired, mistyped, or for another hub)."
          : "The hub did not answer.";
    return;
  }
  $("sign-in").hidden = true;
  $("board").hidden = false;
  $("sign-out").hidden = false;
  $("window").focus();
  await Promise.all([refresh(), startAlerts($<HTMLUListElement>("alerts"), $("live-status")).catch((e) => showError("live-status", e))]);
}

function signOut(): void {
  session.clear();
  stopAlerts();
  $("board").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  ($("token") as HTMLTextAreaElement).value = "";
  $("token").focus();
}

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const token = ($("token") as HTMLTextAreaElement).value.trim().replace(/^Bearer\s+/i, "");
    if (!token) return;
    session.set(token);
    void signIn();
  });
  $("sign-out").addEventListener("click", signOut);
  $("filters").addEventListener("change", () => void refresh());
  $("filters").addEventListener("submit", (ev) => ev.preventDefault());
  if (session.get()) void signIn();
});
