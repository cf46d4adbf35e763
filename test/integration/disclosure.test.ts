import { readFileSync } from "node:fs";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { insertIncidents, type BulkIncident } from "../helpers/bulk";

// The cell-key method end to end (docs/disclosure.md): the same records give the same figure
// whatever query produced it; different sets of records of the same size get independent figures
// in the unbiased proportions; every aggregate query leaves an AGGREGATE_READ audit row.

let app: TestApp;
let analyst: string;
const YORK = { lat: 53.959, lng: -1.0815 };
const W = { from: "2026-10-12T00:00:00.000Z", to: "2026-10-19T00:00:00.000Z" };
const many = (n: number, row: (k: number) => BulkIncident) => Array.from({ length: n }, (_, k) => row(k));
// 40 weeks of 2025 in Scarborough, 12 administrations each.
const FIRST_MONDAY_2025 = Date.parse("2024-12-30T00:00:00Z");
const WEEK = 7 * 24 * 3600_000;

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.token("PH-ENG", Role.ANALYST);
  await insertIncidents(app.ds, [
    ...many(23, (k) => ({ agencyCode: "NYP", areaCode: "NYP-YORK", occurredAt: new Date(Date.parse(W.from) + k * 5 * 3600_000), location: YORK })),
    ...many(40 * 12, (k) => ({ agencyCode: "NYP", areaCode: "NYP-SCARBOROUGH", occurredAt: new Date(FIRST_MONDAY_2025 + Math.floor(k / 12) * WEEK + (k % 12) * 3600_000 + 3600_000) })),
  ]);
});
afterAll(() => app.close());

const figure = (c: { count: number | null; suppressed: boolean }) => ({ count: c.count, suppressed: c.suppressed });

describe("same records, same figure", () => {
  it("gives York's 23 of one week the same published figure through every query that counts exactly them", async () => {
    const york = ["NYP-YORK"];
    const q = async (query: string, variables: Record<string, unknown>) => {
      const r = await app.gql(query, variables, analyst);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const figures = [
      (await q(`query($f: AggregateFilter) { areaCounts(filter: $f) { areaCode count suppressed } }`, { f: { ...W, areaCodes: york } })).areaCounts[0],
      // an extra area with nothing recorded changes nothing
      (await q(`query($f: AggregateFilter) { areaCounts(filter: $f) { areaCode count suppressed } }`, { f: { ...W, areaCodes: [...york, "NFK-NORWICH"] } })).areaCounts.find((a: { areaCode: string }) => a.areaCode === "NYP-YORK"),
      (await q(`query($f: AggregateFilter) { areaCountTable(filter: $f) { areas { count suppressed } } }`, { f: { ...W, areaCodes: york } })).areaCountTable.areas[0],
      (await q(`query($f: KpiFilter) { kpis(filter: $f) { administrations { count suppressed } } }`, { f: { ...W, areaCodes: york } })).kpis.administrations,
      (await q(`query($f: KpiFilter) { kpis(filter: $f) { administrations { count suppressed } } }`, { f: { ...W, areaCodes: york, agencyCodes: ["NYP"] } })).kpis.administrations,
      (await q(`query($f: AggregateFilter) { administrationsByWeek(filter: $f) { total { count suppressed } } }`, { f: { ...W, areaCodes: york } })).administrationsByWeek.total,
      // an extra empty week on either side, and the week's own cell in a longer series
      (await q(`query($f: AggregateFilter) { administrationsByWeek(filter: $f) { total { count suppressed } weeks { weekStart administrations { count suppressed } } } }`, { f: { from: "2026-10-05T00:00:00Z", to: "2026-10-26T00:00:00Z", areaCodes: york } })).administrationsByWeek,
      (await q(`query($f: AggregateFilter) { heatmap(filter: $f) { total { count suppressed } } }`, { f: { ...W, areaCodes: york } })).heatmap.total,
      // a time of day inside the week snaps out to the same week
      (await q(`query($f: KpiFilter) { kpis(filter: $f) { administrations { count suppressed } } }`, { f: { from: "2026-10-14T09:00:00Z", to: "2026-10-14T10:00:00Z", areaCodes: york } })).kpis.administrations,
    ];
    const series = figures[6];
    figures.splice(6, 1, series.total, series.weeks.find((w: { weekStart: string }) => w.weekStart === "2026-10-12").administrations);
    const published = figures.map(figure);
    expect(new Set(published.map((p) => JSON.stringify(p))).size).toBe(1);
    expect([20, 25]).toContain(published[0].count);
  });

  it("gives 40 weeks of 12 both neighbouring multiples of 5, in proportions near 3:2", async () => {
    const r = await app.gql(
      `query($f: AggregateFilter) { administrationsByWeek(filter: $f) { weeks { weekStart administrations { count suppressed } } } }`,
      { f: { from: new Date(FIRST_MONDAY_2025).toISOString(), to: new Date(FIRST_MONDAY_2025 + 40 * WEEK).toISOString(), areaCodes: ["NYP-SCARBOROUGH"] } },
      analyst,
    );
    expect(r.errors).toBeUndefined();
    const weeks = r.data!.administrationsByWeek.weeks.filter((w: { weekStart: string }) => Date.parse(w.weekStart) < FIRST_MONDAY_2025 + 40 * WEEK && Date.parse(w.weekStart) >= FIRST_MONDAY_2025);
    expect(weeks).toHaveLength(40);
    const counts = weeks.map((w: { administrations: { count: number } }) => w.administrations.count);
    expect(counts.every((c: number) => c === 10 || c === 15)).toBe(true);
    const fifteens = counts.filter((c: number) => c === 15).length;
    // Unbiased: 15 with probability 2/5, so 16 of 40 expected (sd 3.1); both must occur.
    expect(fifteens).toBeGreaterThanOrEqual(5);
    expect(fifteens).toBeLessThanOrEqual(27);
    // And the average published figure is near the truth.
    expect(Math.abs(counts.reduce((s: number, c: number) => s + c, 0) / 40 - 12)).toBeLessThan(1.5);
  });
});

describe("AGGREGATE_READ", () => {
  it("audits every aggregate query: who, which operation, the snapped filter, and no figure", async () => {
    const before = (await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'AGGREGATE_READ'`))[0].n;
    const token = await app.token("PH-ENG", Role.ANALYST, { sub: "analyst-77" });
    await app.gql(`query($f: KpiFilter) { kpis(filter: $f) { administrations { count } interAgency { incidents { count } } } }`, { f: { from: "2026-10-14T13:37:21.123Z", to: "2026-10-14T13:37:21.124Z", areaCodes: ["NYP-YORK"] } }, token);
    await app.gql(`{ heatmap(resolution: 9, filter: { outcome: DIED, from: "2026-10-14T00:00:00Z" }) { total { count } } }`, {}, token);
    await app.gql(`{ alerts { id } prisonNaloxoneCoverage(filter: { from: "2026-09-15", to: "2026-09-16" }) { total { share } } }`, {}, token);
    const rows = await app.ds.query(`SELECT "actorSub", "actorAgencyCode", "entityType", "personId", detail FROM audit_event WHERE action = 'AGGREGATE_READ' ORDER BY "chainSeq" OFFSET $1`, [before]);
    expect(rows.map((r: { detail: { operation: string } }) => r.detail.operation).sort()).toEqual(["alerts", "heatmap", "kpis", "prisonNaloxoneCoverage"]);
    expect(rows.every((r: { actorSub: string; actorAgencyCode: string; personId: null }) => r.actorSub === "analyst-77" && r.actorAgencyCode === "PH-ENG" && r.personId === null)).toBe(true);
    const kpis = rows.find((r: { detail: { operation: string } }) => r.detail.operation === "kpis");
    expect(kpis.detail.filter).toEqual({ areaCodes: ["NYP-YORK"], from: "2026-10-12T00:00:00.000Z", to: "2026-10-19T00:00:00.000Z" });
    expect(rows.find((r: { detail: { operation: string } }) => r.detail.operation === "heatmap").detail.filter).toMatchObject({ outcome: "DIED", resolution: 9, from: "2026-09-28T00:00:00.000Z" }); // to now: 4-week blocks
    expect(rows.find((r: { detail: { operation: string } }) => r.detail.operation === "prisonNaloxoneCoverage").detail.filter).toEqual({ from: "2026-09-01T00:00:00.000Z", to: "2026-10-01T00:00:00.000Z" });
    expect(JSON.stringify(rows)).not.toMatch(/"count"|suppressed|recordKey/);
  });
});

describe("what is never published", () => {
  it("no API type has a record key, key sum, cell key or table field", () => {
    const sdl = readFileSync("schema/schema.graphql", "utf8");
    expect(sdl).not.toMatch(/recordKey|keySum|cellKey|tableSize/i);
  });

  it("refuses the current week, which has not ended, naming the field", async () => {
    const monday = new Date();
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    const r = await app.gql(`query($f: AggregateFilter) { areaCounts(filter: $f) { count } }`, { f: { from: monday.toISOString() } }, analyst);
    expect(r.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ field: "filter.from", rule: "must be before the current week: aggregates cover whole weeks that have ended" }] });
  });
});
