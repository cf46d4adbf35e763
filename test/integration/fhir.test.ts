import request from "supertest";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { fhirGet, r4Problems, validatedCount } from "../helpers/fhir";
import { RECORD, validForm } from "../helpers/forms";

let app: TestApp;
let officer: string;
let teesside: string;
let auditor: string;
let personId: string;
let incidentId: string;
let consentId: string;
let referralId: string;

const identity = { givenName: "Fhirella", familyName: "Testperson", dateOfBirth: "1989-09-09" };

beforeAll(async () => {
  app = await createTestApp();
  officer = await app.token("CLE", Role.OFFICER, { sub: "pc-fhir" });
  teesside = await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-fhir" });
  auditor = await app.token("HUB", Role.AUDITOR, { sub: "auditor-fhir" });
  const r = await app.gql(
    RECORD,
    { input: validForm({ areaCode: "CLE-HARTLEPOOL", person: { ...identity, gender: "FEMALE" }, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }) },
    officer,
  );
  expect(r.errors).toBeUndefined();
  personId = r.data!.recordNaloxoneAdministration.person.id;
  incidentId = r.data!.recordNaloxoneAdministration.id;
  [{ id: consentId }] = await app.ds.query(`SELECT id FROM consent WHERE "personId" = $1`, [personId]);
  [{ id: referralId }] = await app.ds.query(`SELECT id FROM referral WHERE "personId" = $1`, [personId]);
});
afterAll(() => app.close());

const auditRows = (requestIdPrefix: string, sub: string) =>
  app.ds.query(`SELECT action, "personId", basis, purpose, fields FROM audit_event WHERE "actorSub" = $1 AND "requestId" LIKE $2 ORDER BY id`, [sub, `${requestIdPrefix}%`]);

describe("FHIR R4: metadata", () => {
  it("serves a valid CapabilityStatement listing each resource, its interactions and search parameters", async () => {
    const res = await fhirGet(app, "/metadata");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/fhir\+json/);
    expect(res.body).toMatchObject({ resourceType: "CapabilityStatement", fhirVersion: "4.0.1", kind: "instance", format: ["json"] });
    const resources = res.body.rest[0].resource;
    expect(resources.map((r: any) => r.type).sort()).toEqual(["AuditEvent", "Consent", "MedicationAdministration", "Patient", "ServiceRequest", "Task"]);
    const params = (t: string) => resources.find((r: any) => r.type === t).searchParam.map((p: any) => p.name);
    expect(params("Task")).toContain("owner");
    expect(params("Consent")).toContain("patient");
    expect(params("AuditEvent")).toContain("entity");
  });
});

describe("FHIR R4: Patient", () => {
  it("shows the recording force the person, audited as through GraphQL", async () => {
    const res = await fhirGet(app, `/Patient/${personId}`, officer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ resourceType: "Patient", id: personId, name: [{ family: "Testperson", given: ["Fhirella"] }], gender: "female", birthDate: "1989-09-09" });
    expect(res.headers["x-request-id"]).toMatch(/^fhir-/);
    const [{ requestId }] = await app.ds.query(`SELECT "requestId" FROM audit_event WHERE "actorSub" = 'pc-fhir' ORDER BY id DESC LIMIT 1`);
    expect(requestId).toBe(res.headers["x-request-id"]);
    expect(await auditRows("fhir-", "pc-fhir")).toEqual([{ action: "PERSON_READ", personId, basis: "RECORDING_AGENCY", purpose: null, fields: ["dateOfBirth", "familyName", "gender", "givenName"] }]);
  });

  it("withholds identifying elements without a basis, says so, and audits the refusal", async () => {
    // PARAMEDIC of NEAS: reaches nothing of this person (no handover) -> 404, like an unknown id.
    const neas = await fhirGet(app, `/Patient/${personId}`, await app.token("NEAS", Role.PARAMEDIC));
    const unknown = await fhirGet(app, `/Patient/00000000-0000-4000-8000-000000000000`, await app.token("NEAS", Role.PARAMEDIC));
    expect(neas.status).toBe(404);
    expect(neas.body).toEqual(unknown.body);
    expect(neas.body.resourceType).toBe("OperationOutcome");

    // A treatment service named by kind but outside the person's areas: standing (a consent names its kind? no: areas differ) -> 404 too.
    const bristol = await fhirGet(app, `/Patient/${personId}`, await app.token("TS-BRISTOL", Role.TREATMENT_WORKER));
    expect(bristol.status).toBe(404);

    // MASH reviewer of Durham acting under SAFEGUARDING, with a grant that expired: standing, no basis -> redacted.
    const [mash] = await app.ds.query(`SELECT id FROM agency WHERE code = 'MASH-DUR'`);
    await app.ds.query(
      `INSERT INTO access_grant ("personId", "agencyId", "grantedToSub", basis, justification, "grantedAt", "expiresAt")
       VALUES ($1, $2, 'mash-1', 'SAFEGUARDING', 'expired grant for the FHIR redaction test', now() - interval '5 hours', now() - interval '1 hour')`,
      [personId, mash.id],
    );
    const res = await fhirGet(app, `/Patient/${personId}`, await app.token("MASH-DUR", Role.MASH_REVIEWER, { sub: "mash-fhir" }));
    expect(res.status).toBe(200);
    expect(res.body.meta.security).toEqual([expect.objectContaining({ code: "REDACTED" })]);
    expect(res.body.name).toEqual([{ extension: [{ url: "http://hl7.org/fhir/StructureDefinition/data-absent-reason", valueCode: "masked" }] }]);
    expect(res.body._birthDate.extension[0].valueCode).toBe("masked");
    expect(res.body.birthDate).toBeUndefined();
    expect(res.body.gender).toBeUndefined();
    expect(res.text).not.toMatch(/Fhirella|1989-09-09/);
    const rows = await auditRows("fhir-", "mash-fhir");
    expect(rows).toEqual([{ action: "PERSON_READ_DENIED", personId, basis: "NO_BASIS", purpose: null, fields: ["dateOfBirth", "familyName", "gender", "givenName"] }]);

    // The same answer in a search says what was withheld in an OperationOutcome entry.
    const search = await fhirGet(app, `/Patient?_id=${personId}`, await app.token("MASH-DUR", Role.MASH_REVIEWER));
    expect(search.body.entry.map((e: any) => e.search.mode)).toEqual(["match", "outcome"]);
    expect(search.body.entry[1].resource.issue[0]).toMatchObject({ code: "suppressed", details: { coding: [expect.objectContaining({ code: "CONSENT_REQUIRED" })] } });
  });

  it("refuses roles the permission map refuses, as GraphQL does", async () => {
    for (const [agency, role] of [["PH-ENG", Role.ANALYST], ["HUB", Role.ADMIN], ["HUB", Role.AUDITOR], ["PRISON-5", Role.PRISON_NALOXONE_LEAD]] as const) {
      const res = await fhirGet(app, `/Patient/${personId}`, await app.token(agency, role));
      expect(res.status).toBe(403);
      expect(res.body.issue[0].code).toBe("forbidden");
      expect(res.text).not.toContain("Fhirella");
    }
  });
});

describe("FHIR R4: Consent", () => {
  it("finds the consent by patient and by id, and a withdrawal is gone from the next read", async () => {
    const worker = await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-consent" });
    const search = await fhirGet(app, `/Consent?patient=Patient/${personId}`, worker);
    expect(search.status).toBe(200);
    expect(search.body.entry).toHaveLength(1);
    const consent = search.body.entry[0].resource;
    expect(consent).toMatchObject({
      resourceType: "Consent", id: consentId, status: "active", patient: { reference: `Patient/${personId}` },
      provision: { type: "permit", purpose: [expect.objectContaining({ code: "TREATMENT_REFERRAL" })], actor: [expect.objectContaining({ reference: expect.objectContaining({ identifier: expect.objectContaining({ value: "TREATMENT_SERVICE" }) }) })] },
      organization: [expect.objectContaining({ identifier: expect.objectContaining({ value: "CLE" }) })],
    });
    expect((await fhirGet(app, `/Consent/${consentId}`, worker)).body).toEqual(consent);
    // A role refused by the permission map learns nothing about which ids exist.
    const analyst = await app.token("PH-ENG", Role.ANALYST);
    const real = await fhirGet(app, `/Consent/${consentId}`, analyst);
    const made = await fhirGet(app, `/Consent/00000000-0000-4000-8000-000000000001`, analyst);
    expect([real.status, made.status]).toEqual([403, 403]);
    expect(real.body).toEqual(made.body);
    expect((await fhirGet(app, `/Patient/${personId}`, worker)).body.name).toEqual([{ family: "Testperson", given: ["Fhirella"] }]);

    const w = await app.gql(`mutation($id: ID!) { withdrawConsent(consentId: $id, reason: "Asked us to stop") { status } }`, { id: consentId }, officer);
    expect(w.data!.withdrawConsent.status).toBe("WITHDRAWN");

    const patient = await fhirGet(app, `/Patient/${personId}`, worker);
    expect(patient.status).toBe(200);
    expect(patient.text).not.toMatch(/Fhirella|1989-09-09/);
    expect(patient.body.meta.security[0].code).toBe("REDACTED");
    const after = await fhirGet(app, `/Consent?patient=${personId}`, worker);
    expect(after.body.entry.filter((e: any) => e.search.mode === "match")).toEqual([]);
    expect(after.body.entry[0].resource.issue[0].code).toBe("suppressed");
    const byId = await fhirGet(app, `/Consent/${consentId}`, worker);
    expect(byId.status).toBe(403);
    // The recording force still sees it, now inactive.
    expect((await fhirGet(app, `/Consent/${consentId}`, officer)).body).toMatchObject({ status: "inactive", provision: { period: { end: expect.any(String) } } });
    // The Task of the referral that rested on it is cancelled.
    expect((await fhirGet(app, `/Task/${referralId}`, worker)).body).toMatchObject({ status: "cancelled", businessStatus: { coding: [expect.objectContaining({ code: "WITHDRAWN" })] } });
  });
});

describe("FHIR R4: referrals as ServiceRequest and Task", () => {
  let second: { referralId: string; personId: string };
  beforeAll(async () => {
    for (const name of ["Taskina", "Taskeva"]) {
      const r = await app.gql(
        RECORD,
        { input: validForm({ areaCode: "CLE-HARTLEPOOL", person: { givenName: name, familyName: "Testperson", dateOfBirth: "1990-10-10" }, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-TEESSIDE"], method: "VERBAL" } }) },
        officer,
      );
      expect(r.errors).toBeUndefined();
      const pid = r.data!.recordNaloxoneAdministration.person.id;
      const [ref] = await app.ds.query(`SELECT id FROM referral WHERE "personId" = $1`, [pid]);
      second = { referralId: ref.id, personId: pid };
    }
  });

  it("maps the referral state machine to Task status, in the inbox searched by owner and paged", async () => {
    const task = await fhirGet(app, `/Task/${second.referralId}`, teesside);
    expect(task.body).toMatchObject({ resourceType: "Task", status: "requested", intent: "order", for: { reference: `Patient/${second.personId}` }, owner: { identifier: { value: "TS-TEESSIDE" } }, focus: { reference: `ServiceRequest/${second.referralId}` } });
    const sr = await fhirGet(app, `/ServiceRequest/${second.referralId}`, teesside);
    expect(sr.body).toMatchObject({ resourceType: "ServiceRequest", status: "active", intent: "order", requester: { identifier: { value: "CLE" } }, performer: [{ identifier: { value: "TS-TEESSIDE" } }] });

    await app.gql(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id: second.referralId }, teesside);
    expect((await fhirGet(app, `/Task/${second.referralId}`, teesside)).body.status).toBe("accepted");
    await app.gql(`mutation($id: ID!) { recordContactAttempt(id: $id, input: { method: PHONE, outcome: NO_ANSWER }) { status } }`, { id: second.referralId }, teesside);
    expect((await fhirGet(app, `/Task/${second.referralId}`, teesside)).body.status).toBe("in-progress");
    await app.gql(`mutation($id: ID!) { closeReferral(id: $id, outcome: ENGAGED_IN_TREATMENT) { status } }`, { id: second.referralId }, teesside);
    const closed = (await fhirGet(app, `/Task/${second.referralId}`, teesside)).body;
    expect(closed).toMatchObject({ status: "completed", executionPeriod: { end: expect.any(String) }, output: [{ valueCode: "ENGAGED_IN_TREATMENT" }] });
    expect((await fhirGet(app, `/ServiceRequest/${second.referralId}`, teesside)).body.status).toBe("completed");

    // The inbox, one per page, following the next links.
    const ids: string[] = [];
    let next: string | undefined = `/Task?owner=Organization/TS-TEESSIDE&_count=1`;
    for (let i = 0; next && i < 10; i++) {
      const page = await fhirGet(app, next, teesside);
      expect(page.status).toBe(200);
      ids.push(...page.body.entry.filter((e: any) => e.search.mode === "match").map((e: any) => e.resource.id));
      const link = page.body.link.find((l: any) => l.relation === "next");
      next = link ? link.url.replace(/^.*\/fhir\/R4/, "") : undefined;
    }
    const inbox = await app.gql(`{ referrals(first: 100) { edges { node { id } } } }`, {}, teesside);
    expect(ids).toEqual(inbox.data!.referrals.edges.map((e: any) => e.node.id));
    expect(ids.length).toBeGreaterThanOrEqual(3);
    // By status: the closed one is completed; requested are the open ones.
    const completed = await fhirGet(app, `/Task?owner=TS-TEESSIDE&status=completed`, teesside);
    expect(completed.body.entry.map((e: any) => e.resource.id)).toEqual([second.referralId]);
    const contacted = await fhirGet(app, `/Task?business-status=CLOSED`, teesside);
    expect(contacted.body.entry.map((e: any) => e.resource.id)).toEqual([second.referralId]);
    const open = await fhirGet(app, `/Task?status=requested`, teesside);
    expect(open.body.entry.every((e: any) => e.resource.status === "requested")).toBe(true);
    expect(open.body.entry.length).toBeGreaterThanOrEqual(1);
    // Another owner's inbox is not the caller's to search.
    expect((await fhirGet(app, `/Task?owner=Organization/TS-DURHAM`, teesside)).body.entry).toEqual([]);
    // Another agency reaches none of these referrals: 404 like an unknown id.
    const other = await fhirGet(app, `/Task/${second.referralId}`, await app.token("TS-DURHAM", Role.TREATMENT_WORKER));
    expect(other.status).toBe(404);
  });
});

describe("FHIR R4: MedicationAdministration", () => {
  it("gives doses, route, time and outcome, and the precise location only to those who may see it", async () => {
    const res = await fhirGet(app, `/MedicationAdministration/${incidentId}`, officer);
    expect(res.body).toMatchObject({
      resourceType: "MedicationAdministration", status: "completed", subject: { reference: `Patient/${personId}` },
      dosage: { route: { coding: [expect.objectContaining({ code: "46713006" })] }, dose: { value: 2 } },
      note: [{ text: "Outcome: CONSCIOUS_AND_RESPONSIVE" }],
    });
    const geo = res.body.extension.find((e: any) => e.url === "http://hl7.org/fhir/StructureDefinition/geolocation");
    expect(geo.extension).toEqual([{ url: "latitude", valueDecimal: 54.784 }, { url: "longitude", valueDecimal: -1.356 }]);

    // The treatment service reaches the incident through its referral, but not the location.
    const ts = await fhirGet(app, `/MedicationAdministration/${incidentId}`, await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-ma" }));
    expect(ts.status).toBe(200);
    expect(ts.body.meta.security[0].code).toBe("REDACTED");
    expect(ts.text).not.toContain("54.784");
    expect(await auditRows("fhir-", "tw-ma")).toEqual([expect.objectContaining({ action: "PERSON_READ_DENIED", fields: ["location"] })]);

    const list = await fhirGet(app, `/MedicationAdministration?_count=2`, officer);
    expect(list.body.entry.filter((e: any) => e.search.mode === "match")).toHaveLength(2);
    expect(list.body.link.map((l: any) => l.relation)).toEqual(["self", "next"]);
  });
});

describe("FHIR R4: AuditEvent", () => {
  it("gives auditors the person's audit trail as BALP-shaped AuditEvents, and nobody else", async () => {
    const res = await fhirGet(app, `/AuditEvent?entity=Patient/${personId}&_count=100`, auditor);
    expect(res.status).toBe(200);
    const events = res.body.entry.map((e: any) => e.resource);
    const rows = await app.ds.query(`SELECT id::text AS id FROM audit_event WHERE "personId" = $1`, [personId]);
    expect(events.map((e: any) => e.id).sort()).toEqual(rows.map((r: any) => r.id).sort());
    const read = events.find((e: any) => e.subtype.some((s: any) => s.code === "PERSON_READ"));
    expect(read).toMatchObject({
      type: { code: "rest" }, action: "R", outcome: "0",
      agent: [expect.objectContaining({ requestor: true, who: { identifier: expect.objectContaining({ value: expect.any(String) }) } }), expect.anything()],
      entity: expect.arrayContaining([expect.objectContaining({ what: { reference: `Patient/${personId}` }, role: expect.objectContaining({ code: "1" }) })]),
    });
    const denied = events.find((e: any) => e.subtype.some((s: any) => s.code === "PERSON_READ_DENIED"));
    expect(denied.outcome).toBe("4");
    expect(res.text).not.toMatch(/Fhirella|1989-09-09/);

    const dated = await fhirGet(app, `/AuditEvent?entity=${personId}&date=ge2020-01-01&date=lt2020-01-02`, auditor);
    expect(dated.body.entry).toEqual([]);
    for (const [agency, role] of [["CLE", Role.OFFICER], ["PH-ENG", Role.ANALYST], ["HUB", Role.ADMIN]] as const) {
      const denied2 = await fhirGet(app, `/AuditEvent?entity=Patient/${personId}`, await app.token(agency, role));
      expect(denied2.status).toBe(403);
    }
  });
});

describe("FHIR R4: bad requests", () => {
  it("answers an OperationOutcome with a 4xx, never a 500 and never personal data", async () => {
    const cases: Array<[string, number, string?]> = [
      ["/Observation", 404],
      ["/constructor", 404],
      ["/__proto__", 404],
      ["/hasOwnProperty/1", 404],
      [`/Task?constructor=1`, 400],
      [`/Patient?__proto__=1`, 400],
      ["/Observation/1", 404],
      ["/Patient/..%2F..%2Fetc", 404],
      [`/Patient?name=Fhirella`, 400],
      [`/Patient?Fhirella=1`, 400],
      [`/Task?status=in-progress`, 400],
      [`/Task?status=started`, 400],
      [`/Task?business-status=NOPE`, 400],
      [`/Task?status=requested&business-status=OPEN`, 400],
      [`/Task?performer=TS-TEESSIDE`, 400],
      [`/Task?_count=0`, 400],
      [`/Task?_count=5000`, 400],
      [`/Task?_count=abc`, 400],
      [`/Task?owner=a&owner=b`, 400],
      [`/Task?_format=xml`, 406],
      [`/Patient/${personId}?_format=xml`, 406],
      [`/Consent`, 400],
      [`/Consent?patient=Group/1`, 400],
      [`/AuditEvent?date=yesterday`, 400],
      [`/AuditEvent/1`, 400],
      [`/Patient/${personId}?_elements=name`, 400],
      [`/Patient/${personId}/_history`, 404],
      [`/Patient/not-a-uuid`, 404],
      [`/Consent/not-a-uuid`, 404],
      [`/Consent?patient=Patient/not-a-uuid`, 200],
      [`/Task?_cursor=%00%00`, 400],
    ];
    for (const [path, status] of cases) {
      const res = await fhirGet(app, path, path.startsWith("/AuditEvent") ? auditor : path.startsWith("/Task") ? teesside : officer);
      expect({ path, status: res.status }).toEqual({ path, status });
      if (status !== 200) expect({ path, type: res.body.resourceType }).toEqual({ path, type: "OperationOutcome" });
      expect(res.text).not.toMatch(/Fhirella|1989/);
    }
    const noToken = await fhirGet(app, `/Patient/${personId}`);
    expect(noToken.status).toBe(401);
    expect(noToken.headers["www-authenticate"]).toMatch(/^Bearer/);
    const badToken = await fhirGet(app, `/Patient/${personId}`, "not-a-token");
    expect(badToken.status).toBe(401);
    for (const method of ["post", "put", "delete", "patch"] as const) {
      const res = await request(app.hub.app)[method](`/fhir/R4/Patient/${personId}`).set("authorization", `Bearer ${officer}`).send({ resourceType: "Patient" });
      expect(res.status).toBe(405);
      expect(JSON.parse(res.text).resourceType).toBe("OperationOutcome");
    }
  });

  it("withholds the answer when the read cannot be audited (fail closed), on FHIR and the CSV export", async () => {
    await app.ds.query(`CREATE FUNCTION test_audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable (secret detail)'; END $$`);
    await app.ds.query(`CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION test_audit_down()`);
    try {
      const res = await fhirGet(app, `/Patient/${personId}`, officer);
      expect(res.status).toBe(500);
      expect(res.body.resourceType).toBe("OperationOutcome");
      expect(res.text).not.toMatch(/Fhirella|1989|secret detail|audit_event/);
      const csv = await request(app.hub.app).get(`/export/subject-access/${personId}.csv`).set("authorization", `Bearer ${auditor}`);
      expect(csv.status).toBe(500);
      expect(csv.text).not.toMatch(/secret detail|audit_event|PERSON_READ/);
    } finally {
      await app.ds.query(`DROP TRIGGER test_audit_down ON audit_event`);
      await app.ds.query(`DROP FUNCTION test_audit_down()`);
    }
  });

  it("validated every resource it emitted against R4", () => {
    expect(validatedCount()).toBeGreaterThan(50);
    // The validator itself refuses what is not R4 (so a pass means something).
    expect(r4Problems({ resourceType: "Patient", gender: "blue" })).toEqual(['Patient.gender: "blue" is not in its required value set']);
    expect(r4Problems({ resourceType: "Task", status: "requested" }).length).toBeGreaterThan(0);
    expect(r4Problems({ resourceType: "Task", status: "started", intent: "order" })).toEqual(['Task.status: "started" is not in its required value set']);
    expect(r4Problems({ resourceType: "Patient", birthDate: "9 Sept 1989" }).length).toBeGreaterThan(0);
    expect(r4Problems({ resourceType: "Patient", nickname: "x" }).length).toBeGreaterThan(0);
  });
});
