import { randomUUID } from "node:crypto";
import { Role } from "../../src/core/auth/roles";
import { publishedNear } from "../helpers/disclosure";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
let lead3: string;
let lead5: string;
let analyst: string;

const RECORD_RELEASE = `mutation($input: PrisonReleaseInput!) { recordPrisonRelease(input: $input) {
  id opioidUseIdentified identifiedOn pointOfOffer offerOutcome declineReason trainedOn trainerType
  kitIssued kitHeldIn releaseDate releaseType releasedWithKit recordedAt prison { code } } }`;
const COVERAGE = `query($filter: PrisonCoverageFilter) { prisonNaloxoneCoverage(filter: $filter) {
  period { from to } rows { prisonCode month opioidUsersReleased { count suppressed } releasedWithKit { count suppressed } share }
  total { opioidUsersReleased { count suppressed } releasedWithKit { count suppressed } share }
  nationalReferenceShare forwardTrustReferenceShare suppression { max roundTo } } }`;

function release(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    idempotencyKey: `rel-${randomUUID()}`,
    opioidUseIdentified: true, identifiedOn: "2026-07-20", pointOfOffer: "CARE_OR_RECOVERY_PLANNING", offerOutcome: "ACCEPTED",
    trainedOn: "2026-08-10", trainerType: "NALOXONE_LEAD", kitIssued: true, kitHeldIn: "PROPERTY",
    releaseDate: "2026-09-15", releaseType: "RELEASED", releasedWithKit: true,
    ...overrides,
  };
}
const declined = (o: Record<string, unknown> = {}) =>
  release({ offerOutcome: "DECLINED", declineReason: "FEAR_OF_POLICE_OR_PROBATION", trainedOn: null, trainerType: null, kitIssued: false, kitHeldIn: null, releasedWithKit: false, ...o });

beforeAll(async () => {
  app = await createTestApp();
  lead3 = await app.token("PRISON-3", Role.PRISON_NALOXONE_LEAD);
  lead5 = await app.token("PRISON-5", Role.PRISON_NALOXONE_LEAD);
  analyst = await app.token("PH-ENG", Role.ANALYST);
});
afterAll(() => app.close());

describe("recordPrisonRelease", () => {
  it("records the THN journey for the lead's own prison and audits it without the THN facts", async () => {
    const input = release();
    const r = await app.gql(RECORD_RELEASE, { input }, lead3);
    expect(r.errors).toBeUndefined();
    const { idempotencyKey, ...facts } = input;
    expect(r.data!.recordPrisonRelease).toMatchObject({ ...facts, prison: { code: "PRISON-3" } });
    const audit = await app.ds.query(`SELECT action, detail, "personId" FROM audit_event WHERE "entityId" = $1`, [r.data!.recordPrisonRelease.id]);
    expect(audit).toEqual([{ action: "PRISON_RELEASE_RECORDED", detail: {}, personId: null }]);
  });

  it("is idempotent: a retry returns the first record, the same key with other facts is CONFLICT", async () => {
    const input = release();
    const first = await app.gql(RECORD_RELEASE, { input }, lead3);
    const retries = await Promise.all(Array.from({ length: 5 }, () => app.gql(RECORD_RELEASE, { input }, lead3)));
    expect(new Set(retries.map((r) => r.data!.recordPrisonRelease.id))).toEqual(new Set([first.data!.recordPrisonRelease.id]));
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM prison_release WHERE "idempotencyKey" = $1`, [input.idempotencyKey]);
    expect(n).toBe(1);
    const other = await app.gql(RECORD_RELEASE, { input: { ...input, releasedWithKit: false } }, lead3);
    expect(other.errors![0].extensions.code).toBe("CONFLICT");
  });

  it("refuses broken journeys with every problem and writes nothing", async () => {
    const before = (await app.ds.query(`SELECT count(*)::int AS n FROM prison_release`))[0].n;
    const r = await app.gql(RECORD_RELEASE, { input: release({ offerOutcome: "DECLINED", releaseType: "TRANSFERRED" }) }, lead3);
    expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    expect((r.errors![0].extensions.problems as Array<{ field: string }>).map((p) => p.field).sort()).toEqual(["declineReason", "releasedWithKit"]);
    expect(r.errors![0].message).not.toMatch(/FEAR|TRANSFERRED|2026/);
    expect((await app.ds.query(`SELECT count(*)::int AS n FROM prison_release`))[0].n).toBe(before);
  });

  it("lists a prison's own release records to its lead, and no other prison's", async () => {
    const mine = await app.gql(RECORD_RELEASE, { input: release() }, lead5);
    const LIST = `query($first: Int, $after: String) { prisonReleases(first: $first, after: $after) { edges { node { id prison { code } releasedWithKit } } pageInfo { hasNextPage endCursor } } }`;
    const r5 = await app.gql(LIST, { first: 10 }, lead5);
    expect(r5.errors).toBeUndefined();
    expect(r5.data!.prisonReleases.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([mine.data!.recordPrisonRelease.id]);
    const r3 = await app.gql(LIST, { first: 1 }, lead3);
    expect(r3.data!.prisonReleases.edges.every((e: { node: { prison: { code: string } } }) => e.node.prison.code === "PRISON-3")).toBe(true);
    expect(r3.data!.prisonReleases.pageInfo.hasNextPage).toBe(true);
    const page2 = await app.gql(LIST, { first: 100, after: r3.data!.prisonReleases.pageInfo.endCursor }, lead3);
    expect(page2.data!.prisonReleases.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(r3.data!.prisonReleases.edges[0].node.id);
    expect((await app.gql(LIST, {}, analyst)).errors![0].extensions.code).toBe("FORBIDDEN");
  });

  it("is for prison naloxone leads only; nobody else reads a release record", async () => {
    for (const token of [await app.token("DUR", Role.OFFICER), await app.token("PROB-NE", Role.ANALYST), analyst]) {
      expect((await app.gql(RECORD_RELEASE, { input: release() }, token)).errors![0].extensions.code).toBe("FORBIDDEN");
    }
  });
});

describe("prisonNaloxoneCoverage", () => {
  beforeAll(async () => {
    await app.ds.query(`DELETE FROM prison_release`);
    const record = async (token: string, input: Record<string, unknown>) => expect((await app.gql(RECORD_RELEASE, { input }, token)).errors).toBeUndefined();
    // PRISON-3, October 2026: 25 opioid users released, 3 with a kit (12%), plus people not counted:
    // a transfer (kits cannot follow) and a release with no opioid use identified.
    for (let k = 0; k < 25; k++) await record(lead3, k < 3 ? release({ releaseDate: "2026-10-10" }) : declined({ releaseDate: "2026-10-10" }));
    await record(lead3, declined({ releaseDate: "2026-10-11", releaseType: "TRANSFERRED" }));
    await record(lead3, release({ releaseDate: "2026-10-12", opioidUseIdentified: false, identifiedOn: null }));
    // PRISON-5, October 2026: 19 released, 8 with a kit (42%), one of them released from court.
    for (let k = 0; k < 19; k++) await record(lead5, k < 8 ? release({ releaseDate: "2026-10-20", releaseType: k === 0 ? "COURT" : "RELEASED" }) : declined({ releaseDate: "2026-10-20" }));
  });

  it("gives the share released with a kit by prison and month, beside the 12% and 42% references, small numbers suppressed", async () => {
    const r = await app.gql(COVERAGE, { filter: { from: "2026-10-01", to: "2026-11-01" } }, analyst);
    expect(r.errors).toBeUndefined();
    const c = r.data!.prisonNaloxoneCoverage;
    expect(c.nationalReferenceShare).toBe(0.12);
    expect(c.forwardTrustReferenceShare).toBe(0.42);
    expect(c.period).toEqual({ from: "2026-10-01T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z" });
    const [p3, p5] = c.rows;
    // 3 with a kit is hidden, so its share is withheld
    expect(p3).toEqual({ prisonCode: "PRISON-3", month: "2026-10", opioidUsersReleased: { count: 25, suppressed: false }, releasedWithKit: { count: null, suppressed: true }, share: null });
    // 8 of 19: both the 8 and the 11 without a kit are above 7, so it is published (8 as 10); no
    // complementary suppression, as the total is perturbed from its own records
    expect(p5).toMatchObject({ prisonCode: "PRISON-5", month: "2026-10", opioidUsersReleased: publishedNear(19), releasedWithKit: { count: 10, suppressed: false } });
    expect(p5.share).toBe(Math.round((10 / p5.opioidUsersReleased.count) * 100) / 100);
    expect(c.total).toMatchObject({ opioidUsersReleased: publishedNear(44), releasedWithKit: publishedNear(11) });
    expect(c.total.share).toBe(Math.round((c.total.releasedWithKit.count / c.total.opioidUsersReleased.count) * 100) / 100);
    expect(JSON.stringify(c)).not.toMatch(/"count":[1-7]\b/);
  });

  it("filters by prison and period, and is for aggregate readers only", async () => {
    const only5 = (await app.gql(COVERAGE, { filter: { prisonCodes: ["PRISON-5"], from: "2026-10-15", to: "2026-10-25" } }, lead5)).data!.prisonNaloxoneCoverage;
    expect(only5.rows.map((r: { prisonCode: string }) => r.prisonCode)).toEqual(["PRISON-5"]);
    // Days snap out to the whole month: the same records, so the same figures as the row above
    const october = (await app.gql(COVERAGE, { filter: { from: "2026-10-01", to: "2026-11-01" } }, analyst)).data!.prisonNaloxoneCoverage;
    expect(only5.total).toEqual({ opioidUsersReleased: october.rows[1].opioidUsersReleased, releasedWithKit: october.rows[1].releasedWithKit, share: october.rows[1].share });
    const two = await app.gql(COVERAGE, { filter: { prisonCodes: ["PRISON-3", "PRISON-5"] } }, analyst);
    expect(two.errors![0].extensions.problems).toEqual([{ field: "filter.prisonCodes", rule: "must name at most one prison" }]);
    const none = (await app.gql(COVERAGE, { filter: { from: "2026-11-01" } }, analyst)).data!.prisonNaloxoneCoverage;
    expect(none.rows).toEqual([]);
    expect(none.total.opioidUsersReleased).toEqual({ count: 0, suppressed: false });
    const bad = await app.gql(COVERAGE, { filter: { from: "2026-11-01", to: "2026-10-01" } }, analyst);
    expect(bad.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    // The current month has not ended: nothing to publish for it yet
    const thisMonth = new Date().toISOString().slice(0, 8) + "01";
    const current = await app.gql(COVERAGE, { filter: { from: thisMonth } }, analyst);
    expect(current.errors![0].extensions.problems).toEqual([{ field: "filter.from", rule: "must be before the current month: coverage covers whole months that have ended" }]);
    expect((await app.gql(COVERAGE, {}, await app.token("DUR", Role.OFFICER))).errors![0].extensions.code).toBe("FORBIDDEN");
  });
});
