import { Role } from "../../src/core/auth/roles";
import { seedDemo } from "../../src/demo/seed";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
const statements: string[] = [];
let counting = false;

beforeAll(async () => {
  app = await createTestApp({ demo: false, onQuery: (sql) => counting && statements.push(sql) });
  await seedDemo({ config: app.config, dataSource: app.ds, clock: app.clock, pubsub: app.pubsub });
}, 180_000); // the full demo, programme rosters and stock included, on a busy machine
afterAll(() => app.close());

const PAGE = `query($first: Int!) { incidents(first: $first) { edges { node {
  id occurredAt outcome location { lat lng } recordingAgency { code name }
  person { id givenName familyName dateOfBirth ageYears gender }
  handovers { id cadReference ambulanceService { code } }
} } pageInfo { hasNextPage endCursor } } }`;

async function statementsFor(first: number, token: string): Promise<number> {
  statements.length = 0;
  counting = true;
  const r = await app.gql(PAGE, { first }, token);
  counting = false;
  expect(r.errors).toBeUndefined();
  expect(r.data!.incidents.edges).toHaveLength(first);
  return statements.length;
}

describe("batching", () => {
  it("runs the same number of SQL statements for a page of 2 and a page of 50", async () => {
    const token = await app.token("SWP", Role.OFFICER);
    const small = await statementsFor(2, token);
    const large = await statementsFor(50, token);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(12);
  });

  it("the demo data holds the evaluation's administrations per force", async () => {
    // The synthetic spike for the alert demo (demo-aggregates.ts) is not part of the evaluation's figures.
    const rows = await app.ds.query(`SELECT a.code, count(i.id)::int AS n FROM agency a LEFT JOIN incident i ON i."agencyId" = a.id AND i."idempotencyKey" NOT LIKE 'demo-spike-%' AND i."idempotencyKey" NOT LIKE 'demo-story-%' WHERE a.kind = 'POLICE_FORCE' GROUP BY a.code ORDER BY a.code`);
    expect(Object.fromEntries(rows.map((r: { code: string; n: number }) => [r.code, r.n]))).toEqual({ ASC: 38, CLE: 37, DUR: 92, LAN: 0, NFK: 16, NYP: 19, SWP: 112 });
  });

  it("the demo data shows a spike alert in Middlesbrough and prisons near 12% and 42% released with a kit", async () => {
    const analyst = await app.token("PH-ENG", Role.ANALYST);
    const alerts = await app.gql(`{ alerts(filter: { status: OPEN }) { areaCode h3 window count suppressed } }`, {}, analyst);
    expect(alerts.errors).toBeUndefined();
    expect(alerts.data!.alerts.length).toBeGreaterThan(0);
    expect(alerts.data!.alerts.every((a: { areaCode: string }) => a.areaCode === "CLE-MIDDLESBROUGH")).toBe(true);
    // The demo's releases are last calendar month's (coverage covers whole months that have ended).
    const now = new Date();
    const month = (k: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1)).toISOString().slice(0, 10);
    const coverage = await app.gql(`query($f: PrisonCoverageFilter) { prisonNaloxoneCoverage(filter: $f) { rows { prisonCode share } } }`, { f: { from: month(-1), to: month(0) } }, analyst);
    expect(coverage.data!.prisonNaloxoneCoverage.rows).toEqual([{ prisonCode: "PRISON-3", share: 0.12 }, { prisonCode: "PRISON-5", share: 0.42 }].map((r) => expect.objectContaining(r)));
  });
});
