import { randomUUID } from "node:crypto";
import { Role } from "../../src/core/auth/roles";
import { sealEverything } from "../helpers/seal";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";
import { sealAuditLog } from "../../src/core/audit/sealer";

let app: TestApp;
let officer: string;
let treatment: string;
let auditor: string;

beforeAll(async () => {
  app = await createTestApp();
  officer = await app.token("DUR", Role.OFFICER, { collarNumber: "77" });
  treatment = await app.token("TS-DURHAM", Role.TREATMENT_WORKER, { sub: "tw-1" });
  auditor = await app.token("HUB", Role.AUDITOR, { sub: "auditor-1" });
});
afterAll(() => app.close());
afterEach(() => app.clock.reset());

let seq = 0;
async function recordPerson(extra: Record<string, unknown> = {}): Promise<{ personId: string; incidentId: string }> {
  seq++;
  const person = { givenName: "Consenty", familyName: `Testperson${"abcdefghij"[seq % 10]}${"abcdefghij"[Math.floor(seq / 10) % 10]}`, dateOfBirth: "1987-07-07" };
  const r = await app.gql(RECORD, { input: validForm({ areaCode: "DUR-DURHAM", person, ...extra }) }, officer);
  expect(r.errors).toBeUndefined();
  return { personId: r.data!.recordNaloxoneAdministration.person.id, incidentId: r.data!.recordNaloxoneAdministration.id };
}

const RECORD_CONSENT = `mutation($p: ID!, $input: ConsentInput!) { recordConsent(personId: $p, input: $input) { id status purposes recipientAgencyCodes recordedByAgency { code } } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawConsent(consentId: $id, reason: "Changed their mind") { id status withdrawnAt } }`;
const PERSON = `query($p: ID!) { person(id: $p) { id givenName familyName } }`;
const EXPLAIN = `query($p: ID!) { explainAccess(personId: $p) { agency { code } basis purpose consentId grantId until } }`;
const toTreatment = { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-DURHAM"], method: "VERBAL" };

describe("consent", () => {
  it("records the consent taken on scene with the form, in the same transaction", async () => {
    const { personId, incidentId } = await recordPerson({ consent: { ...toTreatment, recipientAgencyCodes: null, recipientKinds: ["TREATMENT_SERVICE"] } });
    const rows = await app.ds.query(`SELECT "incidentId", decision FROM consent WHERE "personId" = $1`, [personId]);
    expect(rows).toEqual([{ incidentId, decision: "GIVEN" }]);
    const r = await app.gql(PERSON, { p: personId }, treatment);
    expect(r.data!.person.givenName).toBe("Consenty");
  });

  it("refuses a whole form whose on-scene consent is invalid", async () => {
    const before = (await app.ds.query(`SELECT count(*)::int AS n FROM incident`))[0].n;
    const r = await app.gql(RECORD, { input: validForm({ areaCode: "DUR-DURHAM", consent: { ...toTreatment, recipientAgencyCodes: ["NOPE"] } }) }, officer);
    expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    expect((r.errors![0].extensions.problems as Array<{ field: string }>)[0].field).toBe("consent.recipientAgencyCodes");
    expect((await app.ds.query(`SELECT count(*)::int AS n FROM incident`))[0].n).toBe(before);
  });

  it("shares with the named treatment service under consent, and withdrawal acts on the very next request", async () => {
    const { personId } = await recordPerson();
    const none = await app.gql(PERSON, { p: personId }, treatment);
    expect(none.errors![0].extensions.code).toBe("NOT_FOUND");

    const c = await app.gql(RECORD_CONSENT, { p: personId, input: toTreatment }, officer);
    expect(c.data!.recordConsent).toMatchObject({ status: "ACTIVE", recordedByAgency: { code: "DUR" } });
    const seen = await app.gql(PERSON, { p: personId }, treatment);
    expect(seen.data!.person).toMatchObject({ givenName: "Consenty" });
    const before = await app.gql(EXPLAIN, { p: personId }, officer);
    expect(before.data!.explainAccess).toEqual(
      expect.arrayContaining([
        { agency: { code: "DUR" }, basis: "RECORDING_AGENCY", purpose: null, consentId: null, grantId: null, until: null },
        { agency: { code: "TS-DURHAM" }, basis: "CONSENT", purpose: "TREATMENT_REFERRAL", consentId: c.data!.recordConsent.id, grantId: null, until: null },
      ]),
    );

    const w = await app.gql(WITHDRAW, { id: c.data!.recordConsent.id }, treatment);
    expect(w.data!.withdrawConsent.status).toBe("WITHDRAWN");
    const after = await app.gql(PERSON, { p: personId }, treatment);
    expect(after.data!.person).toEqual({ id: personId, givenName: null, familyName: null });
    expect(after.errors!.map((e) => [e.path!.join("."), e.extensions.code])).toEqual([
      ["person.givenName", "CONSENT_REQUIRED"],
      ["person.familyName", "CONSENT_REQUIRED"],
    ]);
    const explained = await app.gql(EXPLAIN, { p: personId }, officer);
    expect(explained.data!.explainAccess.map((e: { agency: { code: string } }) => e.agency.code)).toEqual(["DUR"]);

    const audit = await app.ds.query(
      `SELECT action, basis, purpose, fields, "actorAgencyCode" FROM audit_event WHERE "personId" = $1 AND "actorAgencyCode" = 'TS-DURHAM' ORDER BY id`,
      [personId],
    );
    expect(audit).toEqual([
      { action: "PERSON_READ", basis: "CONSENT", purpose: "TREATMENT_REFERRAL", fields: ["familyName", "givenName"], actorAgencyCode: "TS-DURHAM" },
      { action: "CONSENT_WITHDRAWN", basis: null, purpose: null, fields: [], actorAgencyCode: "TS-DURHAM" },
      { action: "PERSON_READ_DENIED", basis: "CONSENT_WITHDRAWN", purpose: null, fields: ["familyName", "givenName"], actorAgencyCode: "TS-DURHAM" },
    ]);
  });

  it("lets consent expire without any job: status and access follow the clock", async () => {
    const { personId } = await recordPerson();
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const c = await app.gql(RECORD_CONSENT, { p: personId, input: { ...toTreatment, expiresAt } }, officer);
    expect((await app.gql(PERSON, { p: personId }, treatment)).data!.person.givenName).toBe("Consenty");
    app.clock.set(new Date(Date.now() + 2 * 3600_000));
    const later = await app.gql(`query($p: ID!) { person(id: $p) { givenName consents { id status } } }`, { p: personId }, officer);
    expect(later.data!.person.consents).toEqual([{ id: c.data!.recordConsent.id, status: "EXPIRED" }]);
    const r = await app.gql(PERSON, { p: personId }, treatment);
    expect(r.data!.person.givenName).toBeNull();
    expect(r.errors![0].extensions.code).toBe("CONSENT_REQUIRED");
  });

  it("validates consent input", async () => {
    const { personId } = await recordPerson();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...toTreatment, recipientAgencyCodes: [] }, "recipientKinds"],
      [{ ...toTreatment, recipientAgencyCodes: ["NOPE"] }, "recipientAgencyCodes"],
      [{ ...toTreatment, purposes: [] }, "purposes"],
      [{ ...toTreatment, obtainedAt: new Date(Date.now() + 86400_000).toISOString() }, "obtainedAt"],
      [{ ...toTreatment, expiresAt: new Date(Date.now() - 86400_000).toISOString() }, "expiresAt"],
    ];
    for (const [input, field] of cases) {
      const r = await app.gql(RECORD_CONSENT, { p: personId, input }, officer);
      expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
      expect((r.errors![0].extensions.problems as Array<{ field: string }>).map((p) => p.field)).toContain(field);
    }
    expect((await app.ds.query(`SELECT count(*)::int AS n FROM consent WHERE "personId" = $1`, [personId]))[0].n).toBe(0);
  });

  it("keeps people of other agencies NOT_FOUND, exactly like missing ids", async () => {
    const { personId } = await recordPerson();
    const other = await app.token("CLE", Role.OFFICER);
    for (const [q, vars] of [
      [PERSON, { p: personId }],
      [RECORD_CONSENT, { p: personId, input: toTreatment }],
      [EXPLAIN, { p: personId }],
    ] as const) {
      const r = await app.gql(q, vars, other);
      const missing = await app.gql(q, { ...vars, p: randomUUID() }, other);
      expect(r.errors![0].extensions.code).toBe("NOT_FOUND");
      expect(r.errors![0].message).toBe(missing.errors![0].message);
    }
  });

  it("cannot withdraw a refusal; withdrawing twice changes nothing", async () => {
    const { personId } = await recordPerson();
    const refused = await app.gql(RECORD_CONSENT, { p: personId, input: { ...toTreatment, decision: "REFUSED" } }, officer);
    expect(refused.data!.recordConsent.status).toBe("REFUSED");
    const r = await app.gql(WITHDRAW, { id: refused.data!.recordConsent.id }, officer);
    expect(r.errors![0].extensions.code).toBe("INVALID_TRANSITION");
    const given = await app.gql(RECORD_CONSENT, { p: personId, input: toTreatment }, officer);
    const first = await app.gql(WITHDRAW, { id: given.data!.recordConsent.id }, officer);
    const second = await app.gql(WITHDRAW, { id: given.data!.recordConsent.id }, officer);
    expect(second.data!.withdrawConsent).toEqual(first.data!.withdrawConsent);
  });
});

describe("break-glass", () => {
  const REQUEST = `mutation($p: ID!, $j: String!) { requestEmergencyAccess(personId: $p, basis: SAFEGUARDING, justification: $j) { id basis expiresAt active agency { code } } }`;

  it("grants time-limited, audited access, listed and reviewed by an auditor", async () => {
    const { personId } = await recordPerson();
    const mash = await app.token("MASH-DUR", Role.MASH_REVIEWER, { sub: "mash-1" });
    const short = await app.gql(REQUEST, { p: personId, j: "urgent" }, mash);
    expect(short.errors![0].extensions.code).toBe("BAD_USER_INPUT");

    const g = await app.gql(REQUEST, { p: personId, j: "Child at the address reported at risk by the officer on scene" }, mash);
    expect(g.errors).toBeUndefined();
    const grant = g.data!.requestEmergencyAccess;
    expect(grant).toMatchObject({ basis: "SAFEGUARDING", active: true, agency: { code: "MASH-DUR" } });
    expect(new Date(grant.expiresAt).getTime() - Date.now()).toBeGreaterThan(3.9 * 3600_000);

    const seen = await app.gql(PERSON, { p: personId }, mash);
    expect(seen.data!.person.givenName).toBe("Consenty");
    const [read] = await app.ds.query(`SELECT basis FROM audit_event WHERE "personId" = $1 AND action = 'PERSON_READ' AND "actorSub" = 'mash-1'`, [personId]);
    expect(read.basis).toBe("EMERGENCY_GRANT");
    const explained = await app.gql(EXPLAIN, { p: personId }, auditor);
    expect(explained.data!.explainAccess).toEqual(expect.arrayContaining([expect.objectContaining({ agency: { code: "MASH-DUR" }, basis: "EMERGENCY_GRANT", grantId: grant.id })]));

    app.clock.set(new Date(Date.now() + 5 * 3600_000));
    const expired = await app.gql(PERSON, { p: personId }, mash);
    expect(expired.data!.person.givenName).toBeNull();
    app.clock.reset();

    const queue = await app.gql(`{ emergencyGrants(reviewed: false) { id justification grantedToSub } }`, {}, auditor);
    expect(queue.data!.emergencyGrants).toEqual(expect.arrayContaining([expect.objectContaining({ id: grant.id, grantedToSub: "mash-1" })]));
    const REVIEW = `mutation($id: ID!) { reviewEmergencyGrant(id: $id, outcome: APPROPRIATE, note: "Justified") { id reviewOutcome reviewedBySub } }`;
    const reviewed = await app.gql(REVIEW, { id: grant.id }, auditor);
    expect(reviewed.data!.reviewEmergencyGrant).toMatchObject({ reviewOutcome: "APPROPRIATE", reviewedBySub: "auditor-1" });
    const again = await app.gql(REVIEW, { id: grant.id }, auditor);
    expect(again.errors![0].extensions.code).toBe("INVALID_TRANSITION");
    const done = await app.gql(`{ emergencyGrants(reviewed: false) { id } }`, {}, auditor);
    expect(done.data!.emergencyGrants.map((x: { id: string }) => x.id)).not.toContain(grant.id);
    const actions = await app.ds.query(`SELECT action FROM audit_event WHERE "entityId" = $1 ORDER BY id`, [grant.id]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(["EMERGENCY_ACCESS_GRANTED", "EMERGENCY_GRANT_REVIEWED"]);
  });

  it("is only for harm-reduction leads, MASH reviewers, NFO co-ordinators and paramedics", async () => {
    const { personId } = await recordPerson();
    const j = "A justification that is certainly long enough";
    for (const [agency, role] of [["TS-DURHAM", Role.TREATMENT_WORKER], ["DUR", Role.OFFICER], ["HUB", Role.AUDITOR]] as const) {
      const r = await app.gql(REQUEST, { p: personId, j }, await app.token(agency, role));
      expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
    }
    const para = await app.gql(REQUEST, { p: personId, j }, await app.token("NEAS", Role.PARAMEDIC));
    expect(para.errors).toBeUndefined();
  });
});

describe("auditor", () => {
  it("reads the audit log and one person's access report, which others cannot", async () => {
    const { personId } = await recordPerson();
    await app.gql(PERSON, { p: personId }, officer);
    const events = await app.gql(`query($p: ID!) { auditEvents(filter: { personId: $p }, first: 50) { edges { node { action actorAgencyCode basis fields } } } }`, { p: personId }, auditor);
    expect(events.data!.auditEvents.edges.map((e: any) => e.node.action)).toEqual(expect.arrayContaining(["INCIDENT_RECORDED", "PERSON_READ"]));
    const report = await app.gql(`query($p: ID!) { accessReport(personId: $p) { action actorAgencyCode basis fields } }`, { p: personId }, auditor);
    expect(report.data!.accessReport.length).toBeGreaterThanOrEqual(2);
    expect(report.data!.accessReport.every((e: { action: string }) => e.action.startsWith("PERSON_READ"))).toBe(true);
    expect(JSON.stringify(report.body)).not.toMatch(/Consenty/);
    const denied = await app.gql(`{ auditEvents { edges { node { id } } } }`, {}, officer);
    expect(denied.errors![0].extensions.code).toBe("FORBIDDEN");
  });

  it("fails a request closed when its audit row cannot be written", async () => {
    const { personId } = await recordPerson();
    await app.ds.query(`CREATE FUNCTION test_refuse_reads() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action = 'PERSON_READ' THEN RAISE EXCEPTION 'audit store unavailable'; END IF; RETURN NEW; END $$`);
    await app.ds.query(`CREATE TRIGGER test_refuse_reads BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION test_refuse_reads()`);
    try {
      const r = await app.gql(PERSON, { p: personId }, officer);
      expect(r.errors![0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
      expect(r.errors![0].extensions.requestId).toBeDefined();
      expect(r.data).toBeUndefined();
      expect(JSON.stringify(r.body)).not.toMatch(/Consenty|Testperson/);
    } finally {
      await app.ds.query(`DROP TRIGGER test_refuse_reads ON audit_event`);
      await app.ds.query(`DROP FUNCTION test_refuse_reads()`);
    }
  });

  it("verifies the hash chain and reports the first broken link", async () => {
    await sealEverything(app.config, app.ds);
    const ok = await app.gql(`{ verifyAuditChain { intact rowsChecked firstBrokenSeq } }`, {}, auditor);
    expect(ok.data!.verifyAuditChain).toMatchObject({ intact: true, firstBrokenSeq: null });
    expect(ok.data!.verifyAuditChain.rowsChecked).toBeGreaterThan(10);
    await app.ds.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change`);
      await m.query(`UPDATE audit_event SET basis = 'FORGED' WHERE "chainSeq" = 5`);
      await m.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change`);
    });
    const broken = await app.gql(`{ verifyAuditChain { intact firstBrokenSeq reason } }`, {}, auditor);
    expect(broken.data!.verifyAuditChain).toEqual({ intact: false, firstBrokenSeq: "5", reason: "row content does not match its hash" });
  });
});
