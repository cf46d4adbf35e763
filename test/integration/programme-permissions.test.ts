import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { daysFromNow, hoursAgo } from "../helpers/programme";

// Role x programme operation, written from the contract's words: FORCE_LEAD for its own force;
// PROGRAMME_LEAD (HUB) records status and funding and sees the national view; aggregate readers
// read programmeKpis; nobody else reaches any of it. Then every role and a lead of another force
// try to read one force's collar numbers: 0 leaks.

const AGENCY_OF: Record<Role, string> = {
  ADMIN: "HUB",
  AUDITOR: "HUB",
  ANALYST: "PH-ENG",
  PROGRAMME_LEAD: "HUB",
  OFFICER: "CLE",
  FORCE_LEAD: "CLE",
  PARAMEDIC: "NEAS",
  NFO_COORDINATOR: "NEAS",
  TREATMENT_WORKER: "TS-DURHAM",
  HARM_REDUCTION_LEAD: "HRT-SW",
  CASE_COORDINATOR: "HRT-SW",
  MASH_REVIEWER: "MASH-DUR",
  PRISON_NALOXONE_LEAD: "PRISON-5",
};
const AGGREGATE_READERS = new Set<Role>([Role.ANALYST, Role.FORCE_LEAD, Role.HARM_REDUCTION_LEAD, Role.NFO_COORDINATOR, Role.PRISON_NALOXONE_LEAD, Role.PROGRAMME_LEAD]);

type Op = { name: string; allowed: (r: Role) => boolean; query: string; vars: (r: Role, n: number) => Record<string, unknown> };
const forceFilter = (r: Role) => (r === Role.FORCE_LEAD ? null : { forceCode: "DUR" });
const OPS: Op[] = [
  { name: "stock", allowed: (r) => r === Role.FORCE_LEAD || r === Role.PROGRAMME_LEAD, query: `query($f: StockFilter) { stock(filter: $f) { forceCode totalOnHand } }`, vars: (r) => ({ f: forceFilter(r) }) },
  { name: "kitReconciliation", allowed: (r) => r === Role.FORCE_LEAD || r === Role.PROGRAMME_LEAD, query: `query($f: StockFilter) { kitReconciliation(filter: $f) { forceCode reconciled } }`, vars: (r) => ({ f: forceFilter(r) }) },
  { name: "officers", allowed: (r) => r === Role.FORCE_LEAD, query: `{ officers { edges { node { id } } } }`, vars: () => ({}) },
  { name: "funding", allowed: (r) => r === Role.FORCE_LEAD || r === Role.PROGRAMME_LEAD, query: `{ funding { id } }`, vars: () => ({}) },
  { name: "programmeStatus", allowed: (r) => r === Role.FORCE_LEAD || r === Role.PROGRAMME_LEAD, query: `{ programmeStatus { id } }`, vars: () => ({}) },
  { name: "programmeKpis", allowed: (r) => AGGREGATE_READERS.has(r), query: `{ programmeKpis { total { forceCode } } }`, vars: () => ({}) },
  {
    name: "registerOfficer", allowed: (r) => r === Role.FORCE_LEAD,
    query: `mutation($i: OfficerInput!) { registerOfficer(input: $i) { id } }`,
    vars: (_r, n) => ({ i: { collarNumber: `M${n}`, role: "PCSO", areaCode: "CLE-STOCKTON", carries: true } }),
  },
  {
    name: "recordTraining", allowed: (r) => r === Role.FORCE_LEAD,
    query: `mutation($i: TrainingInput!) { recordTraining(input: $i) { id } }`,
    vars: () => ({ i: { collarNumber: "M-TRAIN", trainedOn: "2026-06-01", mode: "ONLINE_SELF_DIRECTED", provider: "IN_HOUSE", modules: [] } }),
  },
  {
    name: "recordStockMovement", allowed: (r) => r === Role.FORCE_LEAD,
    query: `mutation($i: StockMovementInput!) { recordStockMovement(input: $i) { id } }`,
    vars: (_r, n) => ({ i: { idempotencyKey: `matrix-move-${n}`, kind: "PROCURED", kits: 2, batch: `MX-${n}`, expiresOn: daysFromNow(300), location: { kind: "STORE", reference: "MAIN" }, at: hoursAgo(2) } }),
  },
  {
    name: "recordStockCount", allowed: (r) => r === Role.FORCE_LEAD,
    query: `mutation($i: StockCountInput!) { recordStockCount(input: $i) { id } }`,
    vars: (_r, n) => ({ i: { idempotencyKey: `matrix-count-${n}`, location: { kind: "STORE", reference: "MAIN" }, kits: 0, at: hoursAgo(1) } }),
  },
  { name: "setDistributionPaused", allowed: (r) => r === Role.FORCE_LEAD, query: `mutation { setDistributionPaused(input: { paused: false }) { paused } }`, vars: () => ({}) },
  {
    name: "recordFunding", allowed: (r) => r === Role.PROGRAMME_LEAD,
    query: `mutation($i: FundingInput!) { recordFunding(input: $i) { id } }`,
    vars: () => ({ i: { forceCode: "CLE", strand: "MONITORING_AND_SUPPLY", source: "UNKNOWN", available: 1, allocated: 1, spent: 0, periodStart: "2026-01-01" } }),
  },
  {
    name: "setProgrammeStatus", allowed: (r) => r === Role.PROGRAMME_LEAD,
    query: `mutation($i: ProgrammeStatusInput!) { setProgrammeStatus(input: $i) { id } }`,
    vars: () => ({ i: { forceCode: "CLE", carriageStatus: "ONGOING", adder: true, dataReceived: true, asOf: "2026-11-01" } }),
  },
];

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  const cle = await app.token("CLE", Role.FORCE_LEAD);
  await app.gql(`mutation { registerOfficer(input: { collarNumber: "M-TRAIN", role: PCSO, areaCode: "CLE-STOCKTON", carries: true }) { id } }`, {}, cle);
  // Durham: officers whose collar numbers must never reach anyone but Durham.
  const dur = await app.token("DUR", Role.FORCE_LEAD);
  const ok = async (q: string, v: Record<string, unknown> = {}) => expect((await app.gql(q, v, dur)).errors).toBeUndefined();
  await ok(`mutation { registerOfficer(input: { collarNumber: "LEAK-7001", role: RESPONSE_OFFICER, areaCode: "DUR-DURHAM", carries: true }) { id } }`);
  await ok(`mutation { recordTraining(input: { collarNumber: "LEAK-7001", trainedOn: "2025-12-20", mode: ONLINE_SELF_DIRECTED, provider: IN_HOUSE, modules: [] }) { id } }`);
  await ok(`mutation($i: StockMovementInput!) { recordStockMovement(input: $i) { id } }`, { i: { idempotencyKey: "leak-procure", kind: "PROCURED", kits: 5, batch: "LEAK-B", expiresOn: daysFromNow(20), location: { kind: "STORE", reference: "MAIN" }, at: hoursAgo(5) } });
  await ok(`mutation($i: StockMovementInput!) { recordStockMovement(input: $i) { id } }`, { i: { idempotencyKey: "leak-issue", kind: "ISSUED", kits: 2, location: { kind: "OFFICER", reference: "LEAK-7001" }, at: hoursAgo(4) } });
  await ok(`mutation($i: StockCountInput!) { recordStockCount(input: $i) { id } }`, { i: { idempotencyKey: "leak-count", location: { kind: "OFFICER", reference: "LEAK-7001" }, kits: 1, at: hoursAgo(1) } });
});
afterAll(() => app.close());

describe("programme permission matrix", () => {
  it("allows each role exactly the operations the contract gives it", async () => {
    const failures: string[] = [];
    let cases = 0;
    let n = 0;
    for (const role of Object.values(Role)) {
      const token = await app.token(AGENCY_OF[role], role, { sub: `pm-${role.toLowerCase()}` });
      for (const op of OPS) {
        cases++;
        const r = await app.gql(op.query, op.vars(role, ++n), token);
        const codes = (r.errors ?? []).map((e) => e.extensions.code);
        if (op.allowed(role)) {
          if (codes.length) failures.push(`${role} ${op.name}: expected allowed, got ${codes.join(",")}`);
        } else if (codes[0] !== "FORBIDDEN" || r.data?.[op.name] != null) {
          failures.push(`${role} ${op.name}: expected FORBIDDEN, got ${JSON.stringify(codes)}`);
        }
      }
    }
    for (const op of OPS) {
      const r = await app.gql(op.query, op.vars(Role.ANALYST, ++n));
      if (r.errors?.[0].extensions.code !== "UNAUTHENTICATED") failures.push(`anonymous ${op.name}: expected UNAUTHENTICATED`);
    }
    expect(failures).toEqual([]);
    expect(cases).toBe(Object.values(Role).length * OPS.length);
  }, 120_000);

  it("never shows Durham's collar numbers to anyone but Durham: 0 leaks", async () => {
    const READS = [
      `query($f: StockFilter) { stock(filter: $f) { onHand { location { kind reference } kits } expiring { batch } } }`,
      `query($f: StockFilter) { kitReconciliation(filter: $f) { holders { location { reference } } discrepancies { location { reference } } } }`,
      `{ officers { edges { node { collarNumber } } } }`,
      `{ programmeKpis { forces { forceCode kitsOnHand { count } } } }`,
      `{ programmeStatus { forceCode } funding { forceCode } }`,
    ];
    const callers: Array<[string, string, Role]> = [...Object.values(Role).map((r): [string, string, Role] => [r, AGENCY_OF[r], r]), ["FORCE_LEAD of DUR", "DUR", Role.FORCE_LEAD], ["OFFICER of DUR", "DUR", Role.OFFICER]];
    const leaks: string[] = [];
    let durSaw = false;
    for (const [label, agency, role] of callers) {
      const token = await app.token(agency, role, { sub: `leak-${label.replace(/\W/g, "")}`, collarNumber: role === Role.OFFICER ? "9999" : undefined });
      for (const q of READS) {
        for (const f of [null, { forceCode: "DUR" }]) {
          const r = await app.gql(q, q.includes("$f") ? { f } : {}, token);
          const seen = JSON.stringify(r.body).includes("LEAK-7001");
          if (label === "FORCE_LEAD of DUR") durSaw ||= seen;
          else if (seen) leaks.push(`${label}: ${q.slice(0, 40)} ${JSON.stringify(f)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(durSaw).toBe(true);
  }, 120_000);
});
