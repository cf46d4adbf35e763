import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// Concurrent recordings in one area share their spike checks (src/modules/incidents/spike-after-record.ts),
// and still each answer leaves only after a check that started after its own commit.
let app: TestApp;
const log: Array<{ at: number; sql: string }> = [];
beforeAll(async () => {
  app = await createTestApp({ onQuery: (sql) => log.push({ at: log.length, sql }) });
});
afterAll(() => app.close());

const openAlerts = (area: string) => app.ds.query(`SELECT id FROM spike_alert WHERE "areaCode" = $1 AND "closedAt" IS NULL`, [area]);

describe("spike checks after concurrent recordings", () => {
  it("run fewer times than the recordings, the last after the last commit, and still raise the alert", async () => {
    const officer = await app.token("NYP", Role.OFFICER);
    log.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => app.gql(RECORD, { input: validForm({ areaCode: "NYP-SCARBOROUGH", location: { lat: 54.2831, lng: -0.3998 }, person: null }) }, officer)),
    );
    for (const r of answers) expect(r.errors).toBeUndefined();
    const checks = log.filter((q) => q.sql.includes("hashtext('spike:'")).map((q) => q.at);
    const commits = log.filter((q) => /^INSERT INTO "incident"/.test(q.sql)).map((q) => q.at);
    expect(commits.length).toBe(12);
    // Two scopes (area and cell) per check: 24 lock statements without sharing.
    expect(checks.length).toBeGreaterThanOrEqual(2);
    expect(checks.length).toBeLessThan(24);
    expect(Math.max(...checks)).toBeGreaterThan(Math.max(...commits));
    expect((await openAlerts("NYP-SCARBOROUGH")).length).toBeGreaterThan(0);
  });

  it("a recording alone still gets its own check before its answer", async () => {
    const officer = await app.token("DUR", Role.OFFICER);
    log.length = 0;
    const r = await app.gql(RECORD, { input: validForm({ areaCode: "DUR-EASINGTON", person: null }) }, officer);
    expect(r.errors).toBeUndefined();
    expect(log.filter((q) => q.sql.includes("hashtext('spike:'")).length).toBe(2);
  });
});
