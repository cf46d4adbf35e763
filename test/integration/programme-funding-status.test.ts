import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { expectBadInput, FUND, rowCounts, STATUS } from "../helpers/programme";

let app: TestApp;
let programmeLead: string;
let cleLead: string;
let durLead: string;
beforeAll(async () => {
  app = await createTestApp();
  programmeLead = await app.token("HUB", Role.PROGRAMME_LEAD, { sub: "national-lead" });
  cleLead = await app.token("CLE", Role.FORCE_LEAD);
  durLead = await app.token("DUR", Role.FORCE_LEAD);
});
afterAll(() => app.close());

const line = (over: Record<string, unknown> = {}) => ({ forceCode: "CLE", strand: "INITIAL_ROLLOUT", source: "ADDER", available: 60000, allocated: 50000, spent: 41234.5, periodStart: "2023-04-01", periodEnd: "2025-03-31", ...over });

async function expectNothingWritten(run: () => Promise<void>): Promise<void> {
  const before = await rowCounts(app);
  await run();
  expect(await rowCounts(app)).toEqual(before);
}

describe("funding", () => {
  it("records a funding line; the same line again updates it, never duplicates", async () => {
    const a = await app.gql(FUND, { input: line() }, programmeLead);
    expect(a.errors).toBeUndefined();
    expect(a.data!.recordFunding).toMatchObject({ forceCode: "CLE", strand: "INITIAL_ROLLOUT", source: "ADDER", available: 60000, spent: 41234.5, periodEnd: "2025-03-31" });
    const retry = await app.gql(FUND, { input: line() }, programmeLead);
    expect(retry.data!.recordFunding.id).toBe(a.data!.recordFunding.id);
    const later = await app.gql(FUND, { input: line({ spent: 52000 }) }, programmeLead);
    expect(later.data!.recordFunding).toMatchObject({ id: a.data!.recordFunding.id, spent: 52000 });
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM funding_record`);
    expect(n).toBe(1);
    // Open-ended and unknown-source funding is allowed.
    const open = await app.gql(FUND, { input: line({ strand: "ONGOING_TRAINING", source: "UNKNOWN", periodEnd: null }) }, programmeLead);
    expect(open.data!.recordFunding.periodEnd).toBeNull();
  });

  it.each([
    ["a period that ends before it starts", { periodEnd: "2023-03-31" }, "periodEnd"],
    ["a negative amount", { spent: -1 }, "spent"],
    ["an unknown force", { forceCode: "NOWHERE" }, "forceCode"],
    ["a force that is not police", { forceCode: "NEAS" }, "forceCode"],
  ])("refuses %s, writing nothing", async (_l, change, field) => {
    await expectNothingWritten(async () => expectBadInput(await app.gql(FUND, { input: line(change) }, programmeLead), field));
  });

  it("shows a force lead its own force's funding only, and the programme lead every force's", async () => {
    await app.gql(FUND, { input: line({ forceCode: "DUR", source: "FORCE_BUDGET" }) }, programmeLead);
    const own = await app.gql(`{ funding { forceCode strand } }`, {}, cleLead);
    expect(new Set(own.data!.funding.map((f: any) => f.forceCode))).toEqual(new Set(["CLE"]));
    expect((await app.gql(`{ funding(filter: { forceCode: "DUR" }) { forceCode } }`, {}, cleLead)).errors?.[0].extensions.code).toBe("FORBIDDEN");
    const all = await app.gql(`{ funding { forceCode } }`, {}, programmeLead);
    expect(new Set(all.data!.funding.map((f: any) => f.forceCode))).toEqual(new Set(["CLE", "DUR"]));
    expect((await app.gql(FUND, { input: line() }, cleLead)).errors?.[0].extensions.code).toBe("FORBIDDEN");
  });
});

describe("programme status", () => {
  const status = (over: Record<string, unknown> = {}) => ({ forceCode: "LAN", carriageStatus: "AGREED_NOT_IMPLEMENTED", adder: true, adderArea: "Blackpool", mouWithAmbulance: null, referralPathway: true, workingGroup: true, dataReceived: false, asOf: "2024-12-01", ...over });

  it("keeps each force's history; the latest is current; the same date again corrects it", async () => {
    const a = await app.gql(STATUS, { input: status({ asOf: "2024-06-01", carriageStatus: "COMMITTED_TO_PILOT" }) }, programmeLead);
    expect(a.errors).toBeUndefined();
    const b = await app.gql(STATUS, { input: status() }, programmeLead);
    const retry = await app.gql(STATUS, { input: status() }, programmeLead);
    expect(retry.data!.setProgrammeStatus.id).toBe(b.data!.setProgrammeStatus.id);
    await app.gql(STATUS, { input: status({ forceCode: "DUR", adder: false, adderArea: null, dataReceived: true, carriageStatus: "ONGOING" }) }, programmeLead);
    const q = `{ programmeStatus { forceCode forceName carriageStatus dataReceived asOf history { asOf carriageStatus } distribution { paused } } }`;
    const all = await app.gql(q, {}, programmeLead);
    expect(all.errors).toBeUndefined();
    const lan = all.data!.programmeStatus.find((s: any) => s.forceCode === "LAN");
    expect(lan).toMatchObject({ forceName: "Lancashire Constabulary", carriageStatus: "AGREED_NOT_IMPLEMENTED", dataReceived: false, asOf: "2024-12-01", distribution: { paused: false } });
    expect(lan.history).toEqual([{ asOf: "2024-12-01", carriageStatus: "AGREED_NOT_IMPLEMENTED" }, { asOf: "2024-06-01", carriageStatus: "COMMITTED_TO_PILOT" }]);
    const own = await app.gql(q, {}, durLead);
    expect(own.data!.programmeStatus.map((s: any) => s.forceCode)).toEqual(["DUR"]);
  });

  it("refuses a future date and an unknown force, writing nothing; only the programme lead records", async () => {
    await expectNothingWritten(async () => expectBadInput(await app.gql(STATUS, { input: status({ asOf: "2099-01-01" }) }, programmeLead), "asOf"));
    await expectNothingWritten(async () => expectBadInput(await app.gql(STATUS, { input: status({ forceCode: "ZZZ" }) }, programmeLead), "forceCode"));
    expect((await app.gql(STATUS, { input: status() }, cleLead)).errors?.[0].extensions.code).toBe("FORBIDDEN");
  });
});
