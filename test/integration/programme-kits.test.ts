import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";
import { COUNT, daysFromNow, expectBadInput, hoursAgo, key, MOVE, PAUSE, RECONCILE, REGISTER, rowCounts, STOCK, TRAIN } from "../helpers/programme";

let app: TestApp;
let lead: Record<string, string> = {};
let programmeLead: string;

beforeAll(async () => {
  app = await createTestApp();
  for (const f of ["CLE", "SWP", "ASC", "DUR", "NYP"]) lead[f] = await app.token(f, Role.FORCE_LEAD, { sub: `${f.toLowerCase()}-lead` });
  programmeLead = await app.token("HUB", Role.PROGRAMME_LEAD, { sub: "national-lead" });
});
afterAll(() => app.close());

const officer = (collar: string, area: string, carries = true) => ({ collarNumber: collar, role: "RESPONSE_OFFICER", areaCode: area, carries, rolloutPhase: "RESPONSE_AND_PCSO" });
const procure = (kits: number, batch: string, expiresOn: string, at = hoursAgo(48)) => ({ idempotencyKey: key("procure"), kind: "PROCURED", kits, batch, expiresOn, location: { kind: "STORE", reference: "MAIN" }, at });
const issue = (kits: number, kind: string, reference: string, extra: Record<string, unknown> = {}) => ({ idempotencyKey: key("issue"), kind: "ISSUED", kits, location: { kind, reference }, at: hoursAgo(24), ...extra });

/** Every bad input must leave every programme table (and the audit log) as it was. */
async function expectNothingWritten(run: () => Promise<void>): Promise<void> {
  const before = await rowCounts(app);
  await run();
  expect(await rowCounts(app)).toEqual(before);
}

describe("officers and training", () => {
  it("registers an officer once: registering the collar number again updates the entry", async () => {
    const a = await app.gql(REGISTER, { input: officer("C100", "CLE-STOCKTON", false) }, lead.CLE);
    expect(a.errors).toBeUndefined();
    const b = await app.gql(REGISTER, { input: officer("C100", "CLE-REDCAR", true) }, lead.CLE);
    expect(b.data!.registerOfficer).toMatchObject({ id: a.data!.registerOfficer.id, collarNumber: "C100", areaCode: "CLE-REDCAR", carries: true, refresherDueOn: null });
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM officer WHERE "collarNumber" = 'C100'`);
    expect(n).toBe(1);
    const audit = await app.ds.query(`SELECT action FROM audit_event WHERE "entityId" = $1 ORDER BY "chainSeq"`, [a.data!.registerOfficer.id]);
    expect(audit.map((r: { action: string }) => r.action)).toEqual(["OFFICER_REGISTERED", "OFFICER_UPDATED"]);
  });

  it("refuses an area the force does not serve, writing nothing", async () => {
    await expectNothingWritten(async () => expectBadInput(await app.gql(REGISTER, { input: officer("C101", "DUR-DURHAM") }, lead.CLE), "areaCode"));
  });

  it("records training, due a refresher 12 months later; a retry returns the first record", async () => {
    await app.gql(REGISTER, { input: officer("C200", "CLE-STOCKTON") }, lead.CLE);
    const input = { collarNumber: "C200", trainedOn: "2026-01-31", mode: "INTEGRATED_FIRST_AID", provider: "EXTERNAL", providerName: "A charity (demo)", modules: ["ADDICTION", "ADMINISTERING"], confidenceBefore: 4, confidenceAfter: 8 };
    const a = await app.gql(TRAIN, { input }, lead.CLE);
    expect(a.errors).toBeUndefined();
    expect(a.data!.recordTraining).toMatchObject({ kind: "INITIAL", trainedOn: "2026-01-31", modules: ["ADDICTION", "ADMINISTERING"] });
    const b = await app.gql(TRAIN, { input }, lead.CLE);
    expect(b.data!.recordTraining.id).toBe(a.data!.recordTraining.id);
    const keyed = { ...input, idempotencyKey: key("train"), trainedOn: "2026-02-02" };
    const c = await app.gql(TRAIN, { input: keyed }, lead.CLE);
    const d = await app.gql(TRAIN, { input: keyed }, lead.CLE);
    expect(d.data!.recordTraining.id).toBe(c.data!.recordTraining.id);
    expect((await app.gql(TRAIN, { input: { ...keyed, confidenceAfter: 9 } }, lead.CLE)).errors?.[0].extensions.code).toBe("CONFLICT");
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM training_record t JOIN officer o ON o.id = t."officerId" WHERE o."collarNumber" = 'C200'`);
    expect(n).toBe(2);
    const r = await app.gql(`{ officers(filter: { areaCode: "CLE-STOCKTON" }) { edges { node { collarNumber refresherDueOn trainings { trainedOn } } } } }`, {}, lead.CLE);
    const node = r.data!.officers.edges.find((e: any) => e.node.collarNumber === "C200").node;
    expect(node.refresherDueOn).toBe("2027-02-02");
  });

  it("refuses an unknown collar number, a refresher before training and one with no training, writing nothing", async () => {
    await app.gql(REGISTER, { input: officer("C300", "CLE-STOCKTON") }, lead.CLE);
    const t = { collarNumber: "C300", trainedOn: "2026-03-10", mode: "ONLINE_SELF_DIRECTED", provider: "IN_HOUSE", modules: [] };
    await expectNothingWritten(async () => expectBadInput(await app.gql(TRAIN, { input: { ...t, kind: "REFRESHER" } }, lead.CLE), "kind"));
    expect((await app.gql(TRAIN, { input: t }, lead.CLE)).errors).toBeUndefined();
    await expectNothingWritten(async () => expectBadInput(await app.gql(TRAIN, { input: { ...t, kind: "REFRESHER", trainedOn: "2026-03-01" } }, lead.CLE), "trainedOn"));
    await expectNothingWritten(async () => expectBadInput(await app.gql(TRAIN, { input: { ...t, collarNumber: "NOPE-1" } }, lead.CLE), "collarNumber"));
    // Another force's officer is unknown to this force.
    await expectNothingWritten(async () => expectBadInput(await app.gql(TRAIN, { input: t }, lead.DUR), "collarNumber"));
    const ok = await app.gql(TRAIN, { input: { ...t, kind: "REFRESHER", trainedOn: "2026-09-10" } }, lead.CLE);
    expect(ok.data!.recordTraining.kind).toBe("REFRESHER");
  });

  it("pages the roster without repeating anyone", async () => {
    for (let i = 0; i < 5; i++) await app.gql(REGISTER, { input: officer(`P${i}`, "CLE-HARTLEPOOL") }, lead.CLE);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r: any = await app.gql(`query($after: String) { officers(filter: { areaCode: "CLE-HARTLEPOOL" }, first: 2, after: $after) { edges { node { collarNumber } } pageInfo { hasNextPage endCursor } } }`, { after }, lead.CLE);
      seen.push(...r.data.officers.edges.map((e: any) => e.node.collarNumber));
      if (!r.data.officers.pageInfo.hasNextPage) break;
      after = r.data.officers.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(["P0", "P1", "P2", "P3", "P4"]);
  });
});

describe("stock movements", () => {
  beforeAll(async () => {
    await app.gql(REGISTER, { input: officer("S1", "SWP-CARDIFF") }, lead.SWP);
    await app.gql(REGISTER, { input: officer("S2", "SWP-CARDIFF") }, lead.SWP);
  });

  it("procures, issues and returns kits; a retry with the same key returns the first movement", async () => {
    const input = procure(20, "SWP-B1", daysFromNow(400));
    const a = await app.gql(MOVE, { input }, lead.SWP);
    expect(a.errors).toBeUndefined();
    const b = await app.gql(MOVE, { input }, lead.SWP);
    expect(b.data!.recordStockMovement.id).toBe(a.data!.recordStockMovement.id);
    expect((await app.gql(MOVE, { input: { ...input, kits: 21 } }, lead.SWP)).errors?.[0].extensions.code).toBe("CONFLICT");
    const i = await app.gql(MOVE, { input: issue(3, "OFFICER", "S1") }, lead.SWP);
    expect(i.data!.recordStockMovement).toMatchObject({ kind: "ISSUED", kits: 3, location: { kind: "OFFICER", reference: "S1" }, counterpart: { kind: "STORE", reference: "MAIN" } });
    await app.gql(MOVE, { input: issue(4, "VEHICLE", "CF-12") }, lead.SWP);
    await app.gql(MOVE, { input: { idempotencyKey: key("ret"), kind: "RETURNED", kits: 1, location: { kind: "VEHICLE", reference: "CF-12" }, at: hoursAgo(2) } }, lead.SWP);
    const s = await app.gql(STOCK, {}, lead.SWP);
    expect(s.data!.stock).toMatchObject({ forceCode: "SWP", totalOnHand: 20 });
    expect(s.data!.stock.onHand).toEqual([
      { location: { kind: "OFFICER", reference: "S1" }, kits: 3, expired: 0 },
      { location: { kind: "VEHICLE", reference: "CF-12" }, kits: 3, expired: 0 },
      { location: { kind: "STORE", reference: "MAIN" }, kits: 14, expired: 0 },
    ]);
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM stock_movement WHERE "idempotencyKey" = $1`, [input.idempotencyKey]);
    expect(n).toBe(1);
  });

  it("draws first-expiry-first-out and lists kits expiring within the window", async () => {
    await app.gql(MOVE, { input: procure(5, "SWP-SOON", daysFromNow(10)) }, lead.SWP);
    await app.gql(MOVE, { input: issue(6, "STATION", "CARDIFF-BAY") }, lead.SWP);
    const s = await app.gql(STOCK, { filter: { days: 30 } }, lead.SWP);
    // The 5 soon-expiring kits went first, then 1 of SWP-B1.
    expect(s.data!.stock.expiring).toEqual([{ batch: "SWP-SOON", expiresOn: daysFromNow(10), kits: 5, locations: 1 }]);
    expect(s.data!.stock.expiringKits).toBe(5);
    const wide = await app.gql(STOCK, { filter: { days: 500 } }, lead.SWP);
    expect(wide.data!.stock.expiringKits).toBe(25);
  });

  it.each([
    ["negative kits", { kits: -2 }, "kits"],
    ["zero kits", { kits: 0 }, "kits"],
    ["expiry before procurement", { expiresOn: "2020-01-01" }, "expiresOn"],
    ["expiry on the procurement day", { expiresOn: new Date(Date.now() - 48 * 3600_000).toISOString().slice(0, 10) }, "expiresOn"],
    ["no batch", { batch: null }, "batch"],
  ])("refuses %s, writing nothing", async (_label, change, field) => {
    await expectNothingWritten(async () => expectBadInput(await app.gql(MOVE, { input: { ...procure(5, "SWP-BAD", daysFromNow(300)), ...change } }, lead.SWP), field));
  });

  it("refuses a movement that would take stock below zero at a location, writing nothing", async () => {
    await expectNothingWritten(async () => expectBadInput(await app.gql(MOVE, { input: issue(1000, "OFFICER", "S2") }, lead.SWP), "kits"));
    await expectNothingWritten(async () =>
      expectBadInput(await app.gql(MOVE, { input: { idempotencyKey: key("lost"), kind: "LOST", kits: 4, location: { kind: "OFFICER", reference: "S1" }, at: hoursAgo(1) } }, lead.SWP), "kits"),
    );
    await expectNothingWritten(async () => expectBadInput(await app.gql(MOVE, { input: issue(1, "OFFICER", "S2", { batch: "SWP-NONE" }) }, lead.SWP), "kits"));
  });

  it("refuses an unknown collar number, writing nothing", async () => {
    await expectNothingWritten(async () => expectBadInput(await app.gql(MOVE, { input: issue(1, "OFFICER", "NOBODY") }, lead.SWP), "location.reference"));
    await expectNothingWritten(async () => expectBadInput(await app.gql(COUNT, { input: { idempotencyKey: key("c"), location: { kind: "OFFICER", reference: "NOBODY" }, kits: 0, at: hoursAgo(1) } }, lead.SWP), "location.reference"));
  });

  it("lets only one of many concurrent issues take the last kits", async () => {
    await app.gql(MOVE, { input: procure(3, "ASC-LAST", daysFromNow(300)) }, lead.ASC);
    await app.gql(REGISTER, { input: officer("A1", "ASC-BRISTOL") }, lead.ASC);
    const results = await Promise.all(Array.from({ length: 6 }, () => app.gql(MOVE, { input: issue(2, "OFFICER", "A1") }, lead.ASC)));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.filter((r) => r.errors?.[0].extensions.code === "BAD_USER_INPUT").length).toBe(5);
    const [{ n }] = await app.ds.query(`SELECT coalesce(sum(delta), 0)::int AS n FROM stock_ledger l JOIN agency a ON a.id = l."agencyId" WHERE a.code = 'ASC' AND "locationKind" = 'STORE'`);
    expect(n).toBe(1);
  });
});

describe("administrations, resupply and reconciliation", () => {
  let officerToken: string;
  beforeAll(async () => {
    officerToken = await app.token("DUR", Role.OFFICER, { sub: "pc-d1", collarNumber: "D1" });
    await app.gql(REGISTER, { input: officer("D1", "DUR-EASINGTON") }, lead.DUR);
    await app.gql(REGISTER, { input: officer("D2", "DUR-EASINGTON") }, lead.DUR);
    await app.gql(MOVE, { input: procure(30, "DUR-B1", daysFromNow(600)) }, lead.DUR);
    await app.gql(MOVE, { input: issue(2, "OFFICER", "D1") }, lead.DUR);
    await app.gql(MOVE, { input: issue(5, "VEHICLE", "DUR-VAN-3") }, lead.DUR);
  });

  it("matches an administration to the officer's issued kits as used, and opens a resupply request an issue closes", async () => {
    const form = validForm({ dosesAdministered: 2, resupplyNeeded: true, kitsRequired: 1 });
    const r = await app.gql(RECORD, { input: form }, officerToken);
    expect(r.errors).toBeUndefined();
    const incidentId = r.data!.recordNaloxoneAdministration.id;
    // A retried form changes nothing.
    await app.gql(RECORD, { input: form }, officerToken);
    const used = await app.ds.query(`SELECT kind, kits, "locationRef" FROM stock_movement WHERE "incidentId" = $1`, [incidentId]);
    expect(used).toEqual([{ kind: "USED", kits: 1, locationRef: "D1" }]);
    let s = await app.gql(STOCK, {}, lead.DUR);
    expect(s.data!.stock.resupplyOutstanding).toEqual({ requests: 1, kits: 1 });
    expect(s.data!.stock.onHand).toContainEqual({ location: { kind: "OFFICER", reference: "D1" }, kits: 1, expired: 0 });
    await app.gql(MOVE, { input: issue(1, "OFFICER", "D1") }, lead.DUR);
    s = await app.gql(STOCK, {}, lead.DUR);
    expect(s.data!.stock.resupplyOutstanding).toEqual({ requests: 0, kits: 0 });
    const [req] = await app.ds.query(`SELECT status, "closedByMovementId" IS NOT NULL AS closed FROM resupply_request WHERE "incidentId" = $1`, [incidentId]);
    expect(req).toEqual({ status: "CLOSED", closed: true });
  });

  it("reconciles issued - used - expired - lost - returned against a count, listing a deliberate discrepancy", async () => {
    let rec = await app.gql(RECONCILE, {}, lead.DUR);
    expect(rec.data!.kitReconciliation.reconciled).toBe(true);
    await app.gql(MOVE, { input: { idempotencyKey: key("exp"), kind: "EXPIRED", kits: 1, location: { kind: "VEHICLE", reference: "DUR-VAN-3" }, at: hoursAgo(3) } }, lead.DUR);
    await app.gql(MOVE, { input: { idempotencyKey: key("lost"), kind: "LOST", kits: 1, location: { kind: "VEHICLE", reference: "DUR-VAN-3" }, at: hoursAgo(3) } }, lead.DUR);
    // The van should hold 5 - 1 - 1 = 3; the count finds 2.
    await app.gql(COUNT, { input: { idempotencyKey: key("count"), location: { kind: "VEHICLE", reference: "DUR-VAN-3" }, kits: 2, at: hoursAgo(1) } }, lead.DUR);
    // D2 gives naloxone holding no kit: used but never issued.
    const d2 = await app.token("DUR", Role.OFFICER, { sub: "pc-d2", collarNumber: "D2" });
    expect((await app.gql(RECORD, { input: validForm({ dosesAdministered: 3, resupplyNeeded: false, kitsRequired: null }) }, d2)).errors).toBeUndefined();
    rec = await app.gql(RECONCILE, {}, lead.DUR);
    const k = rec.data!.kitReconciliation;
    expect(k).toMatchObject({ forceCode: "DUR", procured: 30, issued: 8, used: 1, expired: 1, lost: 1, returned: 0, storeOnHand: 22, holdersOnHand: 5, reconciled: false });
    expect(k.holders).toContainEqual({ location: { kind: "VEHICLE", reference: "DUR-VAN-3" }, issued: 5, used: 0, expired: 1, lost: 1, returned: 0, expectedOnHand: 3, countedKits: 2, countedAt: expect.any(String) });
    expect(k.holders).toContainEqual(expect.objectContaining({ location: { kind: "OFFICER", reference: "D1" }, issued: 3, used: 1, expectedOnHand: 2, countedKits: null }));
    expect(k.discrepancies).toEqual([
      { kind: "USED_NOT_ISSUED", location: { kind: "OFFICER", reference: "D2" }, expected: 0, found: -2, difference: -2 },
      { kind: "COUNT_MISMATCH", location: { kind: "VEHICLE", reference: "DUR-VAN-3" }, expected: 3, found: 2, difference: -1 },
    ]);
  });

  it("pauses distribution with a reason (required), and resumes it", async () => {
    await expectNothingWritten(async () => expectBadInput(await app.gql(PAUSE, { input: { paused: true } }, lead.NYP), "reason"));
    const p = await app.gql(PAUSE, { input: { paused: true, reason: "Supply monitoring under review" } }, lead.NYP);
    expect(p.data!.setDistributionPaused).toMatchObject({ paused: true, reason: "Supply monitoring under review" });
    const again = await app.gql(PAUSE, { input: { paused: true, reason: "Supply monitoring under review" } }, lead.NYP);
    expect(again.data!.setDistributionPaused.since).toBe(p.data!.setDistributionPaused.since);
    expect((await app.gql(STOCK, {}, lead.NYP)).data!.stock.distribution).toMatchObject({ paused: true, reason: "Supply monitoring under review" });
    await app.gql(PAUSE, { input: { paused: false } }, lead.NYP);
    expect((await app.gql(STOCK, {}, lead.NYP)).data!.stock.distribution).toMatchObject({ paused: false, reason: null });
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM distribution_status s JOIN agency a ON a.id = s."agencyId" WHERE a.code = 'NYP'`);
    expect(n).toBe(2);
  });
});

describe("who sees which force", () => {
  it("keeps a force lead to its own force and makes the programme lead name one", async () => {
    expect((await app.gql(STOCK, { filter: { forceCode: "DUR" } }, lead.CLE)).errors?.[0].extensions.code).toBe("FORBIDDEN");
    expect((await app.gql(RECONCILE, { filter: { forceCode: "DUR" } }, lead.CLE)).errors?.[0].extensions.code).toBe("FORBIDDEN");
    expectBadInput(await app.gql(STOCK, {}, programmeLead), "filter.forceCode");
    expectBadInput(await app.gql(STOCK, { filter: { forceCode: "NEAS" } }, programmeLead), "filter.forceCode");
  });

  it("shows the programme lead a force's stock without officers' collar numbers", async () => {
    const r = await app.gql(STOCK, { filter: { forceCode: "DUR" } }, programmeLead);
    expect(r.data!.stock.forceCode).toBe("DUR");
    const officerRows = r.data!.stock.onHand.filter((h: any) => h.location.kind === "OFFICER");
    expect(officerRows.length).toBeGreaterThan(0);
    for (const h of officerRows) expect(h.location.reference).toBeNull();
    expect(r.data!.stock.onHand.find((h: any) => h.location.kind === "VEHICLE").location.reference).toBe("DUR-VAN-3");
    expect(JSON.stringify(r.body)).not.toMatch(/"D1"|"D2"/);
    expect(r.errors!.every((e) => e.extensions.code === "FORBIDDEN")).toBe(true);
    const rec = await app.gql(RECONCILE, { filter: { forceCode: "DUR" } }, programmeLead);
    expect(JSON.stringify(rec.body.data)).not.toMatch(/"D1"|"D2"/);
  });
});
