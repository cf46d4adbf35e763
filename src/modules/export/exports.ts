import { badInput } from "../../core/errors.js";

// Every aggregate, and a service's own figures, as CSV: each export is one fixed GraphQL operation
// (run through the same schema, permission map and audit as any request) and a flattening of its
// answer into rows carrying exactly the published figures. The dashboard's panels download these.

type Cell = string | number | boolean | null;
type Count = { count: number | null; suppressed: boolean };
type Params = Record<string, string>;

export interface CsvExport {
  /** The GraphQL operation the export runs. */
  document: string;
  /** Query-string parameters it accepts, turned into the operation's variables. */
  variables(params: Params): Record<string, unknown>;
  /** The answer as a header and rows. */
  rows(data: any): { header: string[]; rows: Cell[][] };
}

const list = (v: string | undefined) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined);
const count = (c: Count | null | undefined): [Cell, Cell] => [c?.count ?? null, c?.suppressed ?? null];

/** Only the parameters named may be given: anything else is BAD_USER_INPUT naming it. */
function only(params: Params, allowed: readonly string[]): void {
  const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
  if (unknown.length) throw badInput(unknown.map((k) => ({ field: k, rule: `is not a parameter of this export (use ${allowed.join(", ")})` })));
}

const PERIOD_AREA = ["from", "to", "areaCodes"];
const aggregateFilter = (p: Params) => ({ from: p.from, to: p.to, areaCodes: list(p.areaCodes), substances: list(p.substances), outcome: p.outcome });

export const EXPORTS: Readonly<Record<string, CsvExport>> = {
  heatmap: {
    document: `query ExportHeatmap($filter: AggregateFilter, $resolution: Int) { heatmap(filter: $filter, resolution: $resolution) { resolution cells { h3 count suppressed } total { count suppressed } } }`,
    variables(p) {
      only(p, [...PERIOD_AREA, "substances", "outcome", "resolution"]);
      return { filter: aggregateFilter(p), resolution: p.resolution === undefined ? undefined : Number(p.resolution) };
    },
    rows: (d) => ({
      header: ["h3", "resolution", "count", "suppressed"],
      rows: [...d.heatmap.cells.map((c: Count & { h3: string }) => [c.h3, d.heatmap.resolution, ...count(c)]), ["total", d.heatmap.resolution, ...count(d.heatmap.total)]],
    }),
  },
  "area-counts": {
    document: `query ExportAreaCounts($filter: AggregateFilter) { areaCounts(filter: $filter) { areaCode count suppressed } }`,
    variables(p) {
      only(p, [...PERIOD_AREA, "substances", "outcome"]);
      return { filter: aggregateFilter(p) };
    },
    rows: (d) => ({ header: ["areaCode", "count", "suppressed"], rows: d.areaCounts.map((a: Count & { areaCode: string }) => [a.areaCode, ...count(a)]) }),
  },
  "administrations-by-week": {
    document: `query ExportWeekly($filter: AggregateFilter) { administrationsByWeek(filter: $filter) { weeks { weekStart administrations { count suppressed } } total { count suppressed } } }`,
    variables(p) {
      only(p, [...PERIOD_AREA, "substances", "outcome"]);
      return { filter: aggregateFilter(p) };
    },
    rows: (d) => ({
      header: ["weekStart", "administrations", "suppressed"],
      rows: [...d.administrationsByWeek.weeks.map((w: { weekStart: string; administrations: Count }) => [w.weekStart, ...count(w.administrations)]), ["total", ...count(d.administrationsByWeek.total)]],
    }),
  },
  kpis: {
    document: `query ExportKpis($filter: KpiFilter) { kpis(filter: $filter) {
      administrations { count suppressed } overdosesReversed { count suppressed } reversedShare doses { count suppressed } dosesPerAdministration
      withFirstAid { count suppressed } firstAidShare firstAidItems { item count { count suppressed } share }
      ambulanceResponses { count suppressed } ambulanceResponseMedianMinutes ambulanceResponseP90Minutes
      ambulanceOverCategory1Target { count suppressed } ambulanceOverCategory1TargetShare seenByParamedics { count suppressed } seenByParamedicsShare
      resupplyRequests { count suppressed } kitsRequired { count suppressed }
      interAgency { incidents { count suppressed } incidentsWithConsent { count suppressed } consentGivenShare referralsMade { count suppressed }
        referralsAccepted { count suppressed } referralsAcceptedShare referralsEngaged { count suppressed } referralsEngagedShare medianHoursToFirstContact
        reviewsDue { count suppressed } reviewsCompletedWithin72h { count suppressed } reviewsOnTimeShare } } }`,
    variables(p) {
      only(p, [...PERIOD_AREA, "agencyCodes", "substances"]);
      return { filter: { from: p.from, to: p.to, areaCodes: list(p.areaCodes), agencyCodes: list(p.agencyCodes), substances: list(p.substances) } };
    },
    rows(d) {
      const rows: Cell[][] = [];
      const walk = (prefix: string, o: Record<string, unknown>) => {
        for (const [k, v] of Object.entries(o)) {
          const name = prefix + k;
          if (k === "firstAidItems") for (const it of v as Array<{ item: string; count: Count; share: number | null }>) rows.push([`firstAid.${it.item}`, ...count(it.count), it.share]);
          else if (v && typeof v === "object" && "suppressed" in (v as object)) rows.push([name, ...count(v as Count), null]);
          else if (v && typeof v === "object") walk(`${name}.`, v as Record<string, unknown>);
          else rows.push([name, null, null, v as Cell]);
        }
      };
      walk("", d.kpis);
      return { header: ["indicator", "count", "suppressed", "value"], rows };
    },
  },
  alerts: {
    document: `query ExportAlerts($filter: AlertFilter) { alerts(filter: $filter) { areaCode h3 window status count suppressed expected pValue openedAt closedAt } }`,
    variables(p) {
      only(p, [...PERIOD_AREA, "status", "window"]);
      return { filter: { from: p.from, to: p.to, areaCodes: list(p.areaCodes), status: p.status, window: p.window } };
    },
    rows: (d) => ({
      header: ["areaCode", "h3", "window", "status", "count", "suppressed", "expected", "pValue", "openedAt", "closedAt"],
      rows: d.alerts.map((a: any) => [a.areaCode, a.h3, a.window, a.status, a.count, a.suppressed, a.expected, a.pValue, a.openedAt, a.closedAt]),
    }),
  },
  "prison-coverage": {
    document: `query ExportPrisonCoverage($filter: PrisonCoverageFilter) { prisonNaloxoneCoverage(filter: $filter) {
      rows { prisonCode month opioidUsersReleased { count suppressed } releasedWithKit { count suppressed } share }
      total { opioidUsersReleased { count suppressed } releasedWithKit { count suppressed } share } } }`,
    variables(p) {
      only(p, ["from", "to", "prisonCodes"]);
      return { filter: { from: p.from, to: p.to, prisonCodes: list(p.prisonCodes) } };
    },
    rows: (d) => ({
      header: ["prisonCode", "month", "opioidUsersReleased", "opioidUsersReleasedSuppressed", "releasedWithKit", "releasedWithKitSuppressed", "share"],
      rows: [
        ...d.prisonNaloxoneCoverage.rows.map((r: any) => [r.prisonCode, r.month, ...count(r.opioidUsersReleased), ...count(r.releasedWithKit), r.share]),
        ["total", null, ...count(d.prisonNaloxoneCoverage.total.opioidUsersReleased), ...count(d.prisonNaloxoneCoverage.total.releasedWithKit), d.prisonNaloxoneCoverage.total.share],
      ],
    }),
  },
  "service-figures": {
    document: `query ExportServiceFigures($filter: ServiceFiguresFilter) { serviceFigures(filter: $filter) {
      agency { code } period { from to }
      months { month received { count suppressed } accepted { count suppressed } engaged { count suppressed } acceptedShare engagedShare medianHoursToFirstContact }
      total { received { count suppressed } accepted { count suppressed } engaged { count suppressed } acceptedShare engagedShare medianHoursToFirstContact } } }`,
    variables(p) {
      only(p, ["from", "to"]);
      return { filter: { from: p.from, to: p.to } };
    },
    rows(d) {
      const f = d.serviceFigures;
      const line = (month: string, c: any): Cell[] => [f.agency.code, month, ...count(c.received), ...count(c.accepted), ...count(c.engaged), c.acceptedShare, c.engagedShare, c.medianHoursToFirstContact];
      return {
        header: ["agency", "month", "received", "receivedSuppressed", "accepted", "acceptedSuppressed", "engaged", "engagedSuppressed", "acceptedShare", "engagedShare", "medianHoursToFirstContact"],
        rows: [...f.months.map((m: any) => line(m.month, m)), line("total", f.total)],
      };
    },
  },
};
