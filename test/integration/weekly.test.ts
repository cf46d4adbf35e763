import { Role } from "../../src/core/auth/roles";
import { weekStartOf, weeksOf } from "../../src/modules/aggregates/period.policy";
import { createTestApp, type TestApp } from "../helpers/app";
import { insertIncidents, type BulkIncident } from "../helpers/bulk";
import { publishedNear } from "../helpers/disclosure";

let app: TestApp;
let analyst: string;
let statements: string[] = [];
let counting = false;

// October 2026: Mondays are the 5th, 12th, 19th and 26th.
const at = (d: number, h = 12) => new Date(Date.UTC(2026, 9, d, h));
const many = (n: number, row: BulkIncident): BulkIncident[] => Array.from({ length: n }, () => ({ ...row }));
const DUR = { agencyCode: "DUR", areaCode: "DUR-EASINGTON" };

beforeAll(async () => {
  app = await createTestApp({ onQuery: (sql) => void (counting && statements.push(sql)) });
  analyst = await app.token("PH-ENG", Role.ANALYST);
  await insertIncidents(app.ds, [
    ...many(12, { ...DUR, occurredAt: at(5, 0) }), // Monday 00:00 belongs to its own week
    ...many(6, { ...DUR, occurredAt: at(11, 23), substances: ["NITAZENES"] }), // Sunday: still the week of the 5th
    ...many(3, { ...DUR, occurredAt: at(13) }), // week of the 12th: small
    // nothing in the week of the 19th
    ...many(20, { agencyCode: "CLE", areaCode: "CLE-MIDDLESBROUGH", occurredAt: at(27), substances: ["NITAZENES"] }),
  ]);
});
afterAll(() => app.close());

const WEEKLY = `query($filter: AggregateFilter) {
  administrationsByWeek(filter: $filter) { period { from to } weeks { weekStart administrations { count suppressed } } total { count suppressed } suppression { max roundTo } }
}`;
const OCTOBER = { from: at(1, 0).toISOString(), to: new Date(Date.UTC(2026, 10, 1)).toISOString() };

describe("administrationsByWeek", () => {
  it("counts by week from Monday 00:00 UTC, publishes empty weeks as 0, hides small weeks and publishes the total from its own records", async () => {
    const r = await app.gql(WEEKLY, { filter: OCTOBER }, analyst);
    expect(r.errors).toBeUndefined();
    const s = r.data!.administrationsByWeek;
    expect(s.suppression).toEqual({ max: 7, roundTo: 5 });
    expect(s.period).toEqual({ from: "2026-09-28T00:00:00.000Z", to: "2026-11-23T00:00:00.000Z" });
    // 18 and 3 are two weeks' true counts. The 3 is hidden; the 18 is published (perturbed, within
    // 4): with every figure perturbed from its own records, total minus the others does not give
    // the 3 back, so no second cell needs hiding (docs/disclosure.md, "No complementary suppression").
    expect(s.weeks).toEqual([
      { weekStart: "2026-09-28", administrations: { count: 0, suppressed: false } },
      { weekStart: "2026-10-05", administrations: publishedNear(18) },
      { weekStart: "2026-10-12", administrations: { count: null, suppressed: true } },
      { weekStart: "2026-10-19", administrations: { count: 0, suppressed: false } },
      { weekStart: "2026-10-26", administrations: { count: 20, suppressed: false } },
      { weekStart: "2026-11-02", administrations: { count: 0, suppressed: false } },
      { weekStart: "2026-11-09", administrations: { count: 0, suppressed: false } },
      { weekStart: "2026-11-16", administrations: { count: 0, suppressed: false } },
    ]);
    expect(s.total).toEqual(publishedNear(41));
    expect(JSON.stringify(s)).not.toMatch(/"count":[1-7]\b/);
  });

  it("applies the aggregate filter (substance, area) like the heat map", async () => {
    const nitazenes = (await app.gql(WEEKLY, { filter: { ...OCTOBER, substances: ["NITAZENES"] } }, analyst)).data!.administrationsByWeek;
    expect(nitazenes.total).toEqual(publishedNear(26));
    // The 6 of the week of the 5th are a part of that week's 18: hidden; the week of the 12th had
    // only 3 administrations in all, so its figure is hidden whatever the substance (0 included).
    expect(nitazenes.weeks.map((w: { administrations: { count: number | null } }) => w.administrations.count)).toEqual([0, null, null, 0, 20, 0, 0, 0]);
    const cle = (await app.gql(WEEKLY, { filter: { ...OCTOBER, areaCodes: ["CLE-MIDDLESBROUGH"] } }, analyst)).data!.administrationsByWeek;
    expect(cle.weeks.filter((w: { administrations: { count: number } }) => w.administrations.count !== 0)).toEqual([
      { weekStart: "2026-10-26", administrations: { count: 20, suppressed: false } },
    ]);
  });

  it("spans the weeks with data when no period is given, and refuses a backwards period", async () => {
    // Without a period: the last 52 weeks on the 13-week grid, so ask in January 2027
    app.clock.set(new Date("2027-01-20T12:00:00Z"));
    let all;
    try {
      all = (await app.gql(WEEKLY, {}, analyst)).data!.administrationsByWeek;
    } finally {
      app.clock.reset();
    }
    expect(Date.parse(all.period.to)).toBeLessThanOrEqual(Date.parse("2027-01-18T00:00:00Z"));
    expect(all.weeks.map((w: { weekStart: string }) => w.weekStart)).toEqual(["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"]);
    const backwards = await app.gql(WEEKLY, { filter: { from: at(20).toISOString(), to: at(2).toISOString() } }, analyst);
    expect(backwards.errors![0].extensions.problems).toEqual([{ field: "filter.to", rule: "must be after from" }]);
  });

  it("is one GROUP BY date_trunc('week') statement", async () => {
    statements = [];
    counting = true;
    await app.gql(WEEKLY, { filter: OCTOBER }, analyst);
    counting = false;
    const incidentSql = statements.filter((s) => /\bincident\b/.test(s));
    expect(incidentSql).toHaveLength(1);
    expect(incidentSql[0]).toMatch(/date_trunc\('week'[\s\S]*GROUP BY/);
  });

  it("is for aggregate readers only", async () => {
    const r = await app.gql(WEEKLY, {}, await app.token("DUR", Role.OFFICER));
    expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
  });
});

describe("week arithmetic", () => {
  it("puts every day in the week of the Monday before it", () => {
    expect(weekStartOf(new Date("2026-10-05T00:00:00Z")).toISOString()).toBe("2026-10-05T00:00:00.000Z");
    expect(weekStartOf(new Date("2026-10-11T23:59:59Z")).toISOString()).toBe("2026-10-05T00:00:00.000Z");
    expect(weekStartOf(new Date("2026-11-01T12:00:00Z")).toISOString()).toBe("2026-10-26T00:00:00.000Z");
    expect(weeksOf({ from: new Date("2026-10-05T00:00:00Z"), to: new Date("2026-11-02T00:00:00Z") })).toHaveLength(4);
  });
});
