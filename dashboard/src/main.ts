// Naloxone Hub partner dashboard: sign in with a token, pick a period, area and substance, and see
// the published aggregates. Everything comes from the public GraphQL API and its CSV exports;
// nothing here is privileged. The filters live in the URL, so a view can be shared and reloaded.

import { startAlerts, stopAlerts } from "./alerts.js";
import {
  ApiError, AreasDocument, downloadCsv, exportUrl, gql, HeatmapDocument, KpisDocument, MonthsDocument, PrisonsDocument, PrisonTotalDocument, session, SignInCheckDocument, WeeklyDocument,
  type KpisQuery, type MonthsQueryVariables, type Substance,
} from "./api.js";
import { drawPrisons, drawSeries, type Bar, type CoverageFigures } from "./charts.js";
import {
  areaCodesFor, coveredPeriod, prisonPeriod, filtersFromQuery, formatCount, formatHours, formatMinutes, formatRatio, formatShare, monthsBetween, periodFor, queryOf, WEEKLY_MAX_WEEKS, type Filters,
} from "./format.js";
import { drawMap, type HeatmapAnswer } from "./map.js";
import { loadProgramme } from "./programme.js";

const $ = <T extends HTMLElement | SVGElement = HTMLElement>(id: string) => document.getElementById(id) as unknown as T;
const select = (id: string) => $(id) as HTMLSelectElement;

/** Area codes the hub has figures for (from areaCounts), for the area filter. */
let knownAreas: string[] = [];
/** The suppression threshold the hub reports (drawn height of a hidden bar). */
let suppressMax = 7;

function readFilters(): Filters {
  return { window: Number(select("window").value), substance: select("substance").value, area: select("area").value, resolution: Number(select("resolution").value) };
}

function applyFilters(f: Filters): void {
  select("window").value = String(f.window);
  select("substance").value = f.substance;
  select("resolution").value = String(f.resolution);
  // An area the list does not (yet) hold is added, so a shared link keeps its choice.
  if (f.area && ![...select("area").options].some((o) => o.value === f.area)) select("area").appendChild(new Option(f.area, f.area));
  select("area").value = f.area;
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

type Tile = [key: string, label: string, value: string];

function tiles(boxId: string, list: Tile[]): void {
  const box = $(boxId);
  box.replaceChildren();
  for (const [key, label, value] of list) {
    const tile = Object.assign(document.createElement("div"), { className: "tile" });
    tile.dataset.kpi = key;
    const v = Object.assign(document.createElement("p"), { className: "value", textContent: value });
    if (value === "suppressed" || value === "not published") v.classList.add("withheld");
    tile.append(v, Object.assign(document.createElement("p"), { className: "label", textContent: label }));
    box.appendChild(tile);
  }
}

/** KPI tiles: the figure is text (screen readers read it), with what it means underneath. */
function renderKpis(k: KpisQuery["kpis"]): void {
  tiles("kpis", [
    ["administrations", "Administrations", formatCount(k.administrations)],
    ["overdosesReversed", "Overdoses reversed", formatCount(k.overdosesReversed)],
    ["reversedShare", "Share reversed", formatShare(k.reversedShare ?? null)],
    ["dosesPerAdministration", "Doses per administration", formatRatio(k.dosesPerAdministration ?? null)],
    ["firstAidShare", "With first aid", formatShare(k.firstAidShare ?? null)],
    ["ambulanceResponseMedianMinutes", "Ambulance response, median", formatMinutes(k.ambulanceResponseMedianMinutes ?? null)],
    ["seenByParamedicsShare", "Seen by paramedics", formatShare(k.seenByParamedicsShare ?? null)],
    ["resupplyRequests", "Kit resupply requests", formatCount(k.resupplyRequests)],
  ]);
  const a = k.interAgency;
  tiles("inter-agency", [
    ["incidents", "Incidents", formatCount(a.incidents)],
    ["consentGivenShare", "With consent given", formatShare(a.consentGivenShare ?? null)],
    ["referralsMade", "Referrals made", formatCount(a.referralsMade)],
    ["referralsAcceptedShare", "Referrals accepted", formatShare(a.referralsAcceptedShare ?? null)],
    ["referralsEngagedShare", "Referrals engaged", formatShare(a.referralsEngagedShare ?? null)],
    ["medianHoursToFirstContact", "Referral to first contact, median", formatHours(a.medianHoursToFirstContact ?? null)],
    ["reviewsDue", "72-hour reviews due", formatCount(a.reviewsDue)],
    ["reviewsOnTimeShare", "Reviews on time", formatShare(a.reviewsOnTimeShare ?? null)],
  ]);
  const nothing = k.administrations.count === 0 && !k.administrations.suppressed;
  $("kpis-empty").hidden = !nothing;
  $("inter-agency-empty").hidden = !(a.incidents.count === 0 && !a.incidents.suppressed);
  suppressMax = k.suppression.max;
  $("rule").textContent = `Small-number rule: counts from 1 to ${k.suppression.max} are suppressed, others are rounded to the nearest ${k.suppression.roundTo}.`;
}

/** Administrations by week, or by month for long periods (each month its own published total). */
async function loadSeries(filter: { from: string; to: string; areaCodes?: string[]; substances?: Substance[] }, from: Date, to: Date): Promise<{ bars: Bar[]; hiddenMax: number; unit: "week" | "month" }> {
  const weeks = (to.getTime() - from.getTime()) / (7 * 86_400_000);
  if (weeks <= WEEKLY_MAX_WEEKS) {
    const s = (await gql(WeeklyDocument, { filter })).administrationsByWeek;
    return { bars: s.weeks.map((w) => ({ key: w.weekStart, value: w.administrations })), hiddenMax: s.suppression.max, unit: "week" };
  }
  const months = monthsBetween(from, to);
  const bars: Bar[] = [];
  for (let i = 0; i < months.length; i += 12) {
    const batch = months.slice(i, i + 12);
    const vars: Record<string, unknown> = {};
    for (let k = 0; k < 12; k++) {
      vars[`u${k}`] = k < batch.length;
      vars[`f${k}`] = k < batch.length ? { ...filter, from: batch[k].from.toISOString(), to: batch[k].to.toISOString() } : null;
    }
    const d = (await gql(MonthsDocument, vars as MonthsQueryVariables)) as Record<string, { total: { count?: number | null; suppressed: boolean } } | undefined>;
    batch.forEach((m, k) => bars.push({ key: m.month, value: { count: d[`m${k}`]?.total.count ?? null, suppressed: d[`m${k}`]?.total.suppressed ?? true } }));
  }
  return { bars, hiddenMax: suppressMax, unit: "month" };
}

async function loadPrisons(mine: number): Promise<void> {
  const filter = prisonPeriod(new Date());
  const box = $<SVGSVGElement>("prisons");
  box.dataset.from = filter.from;
  box.dataset.to = filter.to;
  $("prisons-note").textContent = `The last whole month, ${filter.from.slice(0, 7)}: prison figures are published for whole months and are not by area or substance. Dashed lines: the national average (12%) and Forward Trust's prisons (42%).`;
  const c = (await gql(PrisonsDocument, { filter })).prisonNaloxoneCoverage;
  // The API reports by prison and month; one call per prison gives that prison's figures for the whole period.
  const codes = [...new Set(c.rows.map((r) => r.prisonCode))].sort();
  const prisons: Array<{ code: string; figures: CoverageFigures }> = await Promise.all(
    codes.map(async (code) => ({ code, figures: (await gql(PrisonTotalDocument, { filter: { ...filter, prisonCodes: [code] } })).prisonNaloxoneCoverage.total })),
  );
  if (codes.length > 1) prisons.push({ code: "All prisons", figures: c.total });
  if (mine !== generation) return;
  drawPrisons($<SVGSVGElement>("prisons"), $<HTMLTableSectionElement>("prisons-rows"), prisons, { national: c.nationalReferenceShare, forwardTrust: c.forwardTrustReferenceShare });
}

let generation = 0;
/** What each panel's CSV button downloads for the filters on the page. */
let exports: Record<string, string> = {};

/** Loads every panel for the current filters; each panel fails on its own. A later change wins. */
async function refresh(): Promise<void> {
  const mine = ++generation;
  const current = <T>(render: (d: T) => void) => (d: T) => void (mine === generation && render(d));
  const f = readFilters();
  history.replaceState(null, "", `${location.pathname}${queryOf(f)}`);
  const { from, to } = periodFor(f.window, new Date());
  const areaCodes = areaCodesFor(f.area, knownAreas);
  const substances = f.substance ? [f.substance as Substance] : undefined;
  const filter = { from: from.toISOString(), to: to.toISOString(), ...(areaCodes ? { areaCodes } : {}), ...(substances ? { substances } : {}) };
  const form = $("filters");
  form.dataset.from = filter.from;
  form.dataset.to = filter.to;
  form.dataset.areas = (areaCodes ?? []).join(",");
  const where = f.area ? (f.area.startsWith("force:") ? `, ${f.area.slice(6)} areas` : `, ${f.area}`) : "";
  // The period asked for until the answer says which whole weeks it covers (the hub snaps outward).
  const showPeriod = (covered?: { from: string; to: string } | null) => {
    const shown = coveredPeriod({ from, to }, covered);
    $("period").textContent = `Covers ${shown.from} to ${shown.to} (UTC)${where}${f.substance ? `, ${f.substance.toLowerCase().replace(/_/g, " ")} only` : ""}`;
  };
  showPeriod();
  const common = { from: filter.from, to: filter.to, areaCodes, substances };
  exports = {
    kpis: exportUrl("kpis", common),
    heatmap: exportUrl("heatmap", { ...common, resolution: f.resolution }),
    series: exportUrl("administrations-by-week", common),
    prisons: exportUrl("prison-coverage", prisonPeriod(new Date())),
    alerts: exportUrl("alerts", { status: "OPEN" }),
  };
  document.body.setAttribute("aria-busy", "true");
  for (const id of ["weekly-error", "prisons-error", "kpis-error"]) $(id).textContent = "";
  await Promise.all([
    gql(KpisDocument, { filter }).then(
      current((d: KpisQuery) => {
        showPeriod(d.kpis.period);
        renderKpis(d.kpis);
      }),
      (e) => showError("kpis-error", e),
    ),
    gql(HeatmapDocument, { filter, resolution: f.resolution }).then(
      current((d: { heatmap: HeatmapAnswer }) => drawMap({ svg: $<SVGSVGElement>("map"), legend: $("legend"), table: $<HTMLTableSectionElement>("cells-rows"), summary: $("map-summary") }, d.heatmap, !!areaCodes)),
      (e) => showError("map-summary", e),
    ),
    loadSeries(filter, from, to).then(
      current((s: { bars: Bar[]; hiddenMax: number; unit: "week" | "month" }) => {
        $("weekly-title").textContent = s.unit === "week" ? "When: administrations by week" : "When: administrations by month";
        drawSeries($<SVGSVGElement>("weekly"), $<HTMLTableSectionElement>("weekly-rows"), s.bars, s.hiddenMax, s.unit);
      }),
      (e) => showError("weekly-error", e),
    ),
    loadPrisons(mine).catch((e) => showError("prisons-error", e)),
    loadProgramme($("programme"), from, to).catch((e) => showError("programme-error", e)),
  ]);
  if (mine !== generation) return;
  document.body.setAttribute("aria-busy", "false");
  document.body.dataset.loaded = "true";
}

/** The area filter: every area with figures, grouped by force (the code before the first hyphen). */
async function loadAreas(): Promise<void> {
  knownAreas = [...new Set((await gql(AreasDocument, {})).areaCounts.map((a) => a.areaCode))].sort();
  const keep = select("area").value;
  const box = select("area");
  box.replaceChildren(new Option("All areas", ""));
  const forces = [...new Set(knownAreas.map((a) => a.split("-")[0]))];
  for (const force of forces) {
    const group = document.createElement("optgroup");
    group.label = force;
    group.appendChild(new Option(`${force}: all its areas`, `force:${force}`));
    for (const a of knownAreas.filter((x) => x.startsWith(`${force}-`))) group.appendChild(new Option(a, a));
    box.appendChild(group);
  }
  if (keep && ![...box.options].some((o) => o.value === keep)) box.appendChild(new Option(keep, keep));
  box.value = keep;
}

async function signIn(): Promise<void> {
  const error = $("sign-in-error");
  error.textContent = "";
  try {
    // A cheap aggregate call proves the token works and the role may read aggregates.
    await gql(SignInCheckDocument, {});
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
  select("window").focus();
  await loadAreas().catch((e) => showError("period", e));
  applyFilters(filtersFromQuery(location.search));
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
  applyFilters(filtersFromQuery(location.search));
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
  // Each panel's "Download CSV" fetches the export for the filters on the page.
  document.addEventListener("click", (ev) => {
    const button = (ev.target as HTMLElement).closest<HTMLButtonElement>("button[data-export]");
    if (!button) return;
    const name = button.dataset.export!;
    const url = exports[name];
    if (!url) return;
    const file = `${url.slice(8, url.indexOf(".csv"))}.csv`;
    downloadCsv(url, file).catch((e) => showError(button.dataset.errors ?? "period", e));
  });
  if (session.get()) void signIn();
});
