// The only way the dashboard gets data: the hub's public GraphQL API, with the user's bearer token.
// Partners building their own dashboards can copy this file as it is.

const TOKEN_KEY = "naloxone-hub.token";

/** The token lives in sessionStorage only: gone when the tab closes, never in localStorage or a cookie. */
export const session = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

/** A GraphQL error answer, with the hub's stable `extensions.code` (UNAUTHENTICATED, FORBIDDEN, …). */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** POSTs one operation to /graphql on this hub. Throws ApiError on any error in the answer. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = session.get();
  const res = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T; errors?: GqlError[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError("HTTP_" + res.status, `The hub answered HTTP ${res.status}`);
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new ApiError(e.extensions?.code ?? "UNKNOWN", e.message);
  }
  return body.data as T;
}

/** The WebSocket URL of this hub's graphql-ws endpoint (same host, same path as queries). */
export function subscriptionUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
}

// ---- The operations the dashboard uses (names as in schema/schema.graphql) ----

export const COUNT = `{ count suppressed }`;

export const KPIS = `query Kpis($filter: KpiFilter) {
  kpis(filter: $filter) {
    administrations ${COUNT} overdosesReversed ${COUNT} reversedShare
    doses ${COUNT} dosesPerAdministration withFirstAid ${COUNT} firstAidShare
    ambulanceResponses ${COUNT} ambulanceResponseMedianMinutes ambulanceResponseP90Minutes
    seenByParamedics ${COUNT} seenByParamedicsShare resupplyRequests ${COUNT} kitsRequired ${COUNT}
    suppression { max roundTo }
  }
}`;

export const HEATMAP = `query Heatmap($filter: AggregateFilter, $resolution: Int) {
  heatmap(filter: $filter, resolution: $resolution) { resolution cells { h3 count suppressed } total ${COUNT} geojson suppression { max roundTo } }
}`;

export const WEEKLY = `query Weekly($filter: AggregateFilter) {
  administrationsByWeek(filter: $filter) { weeks { weekStart administrations ${COUNT} } total ${COUNT} suppression { max } }
}`;

const COVERAGE_FIGURES = `opioidUsersReleased ${COUNT} releasedWithKit ${COUNT} share`;
export const PRISONS = `query Prisons($filter: PrisonCoverageFilter) {
  prisonNaloxoneCoverage(filter: $filter) {
    rows { prisonCode month } total { ${COVERAGE_FIGURES} } nationalReferenceShare forwardTrustReferenceShare
  }
}`;
export const PRISON_TOTAL = `query PrisonTotal($filter: PrisonCoverageFilter) {
  prisonNaloxoneCoverage(filter: $filter) { total { ${COVERAGE_FIGURES} } }
}`;

const ALERT_FIELDS = `id areaCode h3 window status count suppressed expected pValue openedAt`;
export const ALERTS = `query Alerts($filter: AlertFilter) { alerts(filter: $filter) { ${ALERT_FIELDS} } }`;
export const ALERT_RAISED = `subscription AlertRaised { alertRaised { ${ALERT_FIELDS} } }`;

// ---- Types of the answers ----

export interface Count {
  count: number | null;
  suppressed: boolean;
}
export interface Kpis {
  administrations: Count;
  overdosesReversed: Count;
  reversedShare: number | null;
  doses: Count;
  dosesPerAdministration: number | null;
  withFirstAid: Count;
  firstAidShare: number | null;
  ambulanceResponses: Count;
  ambulanceResponseMedianMinutes: number | null;
  ambulanceResponseP90Minutes: number | null;
  seenByParamedics: Count;
  seenByParamedicsShare: number | null;
  resupplyRequests: Count;
  kitsRequired: Count;
  suppression: { max: number; roundTo: number };
}
export interface CellFeature {
  type: "Feature";
  id: string;
  geometry: { type: "Polygon"; coordinates: number[][][] };
  properties: Count;
}
export interface Heatmap {
  resolution: number;
  cells: Array<{ h3: string } & Count>;
  total: Count;
  geojson: { type: "FeatureCollection"; features: CellFeature[] };
  suppression: { max: number; roundTo: number };
}
export interface WeeklySeries {
  weeks: Array<{ weekStart: string; administrations: Count }>;
  total: Count;
  suppression: { max: number };
}
export interface CoverageFigures {
  opioidUsersReleased: Count;
  releasedWithKit: Count;
  share: number | null;
}
export interface SpikeAlert {
  id: string;
  areaCode: string;
  h3: string | null;
  window: "HOURS_24" | "HOURS_72";
  status: "OPEN" | "CLOSED";
  count: number | null;
  suppressed: boolean;
  expected: number | null;
  pValue: number;
  openedAt: string;
}
