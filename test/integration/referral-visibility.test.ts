import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// Where a referral went, what a consent routed, how a paramedic finds their incident, and the
// inbox's filters, order and count: each with the check a curious partner would try.

let app: TestApp;
let officer: string;
beforeAll(async () => {
  app = await createTestApp();
  officer = await app.token("CLE", Role.OFFICER, { sub: "pc-77", collarNumber: "7701" });
});
afterAll(() => app.close());

const CONSENT = `mutation($personId: ID!, $input: ConsentInput!) { recordConsent(personId: $personId, input: $input) {
  id routed { noRouteMatched explanation referrals { pathway status toAgency { code } dueAt overdue } } } }`;
const INCIDENT_REFERRALS = `query($id: ID!) { incident(id: $id) { id referrals { pathway status toAgency { code } createdAt dueAt overdue closedAt } } }`;

async function record(token: string, overrides: Record<string, unknown>) {
  const r = await app.gql(RECORD, { input: validForm(overrides) }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.recordNaloxoneAdministration as { id: string; person: { id: string } };
}

describe("recordConsent answers what it routed", () => {
  it("lists the referral a consent created", async () => {
    const inc = await record(officer, { areaCode: "CLE-STOCKTON", location: { lat: 54.57, lng: -1.32 } });
    const r = await app.gql(CONSENT, { personId: inc.person.id, input: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }, officer);
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordConsent.routed).toMatchObject({ noRouteMatched: false, referrals: [{ pathway: "DIRECT_TREATMENT", status: "OPEN", toAgency: { code: "TS-TEESSIDE" }, overdue: false }] });
    expect(r.data!.recordConsent.routed.explanation).toContain("TS-TEESSIDE");
  });

  it("says so when no route matched, instead of accepting silently", async () => {
    const dur = await app.token("DUR", Role.OFFICER, { sub: "pc-88" });
    const inc = await record(dur, { person: { givenName: "Routeless", familyName: "Nobodyson", dateOfBirth: "1991-02-03", gender: "MALE" } });
    // Durham routes to the MASH only: a consent to treatment referral matches no route there.
    const r = await app.gql(CONSENT, { personId: inc.person.id, input: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-DURHAM"], method: "VERBAL" } }, dur);
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordConsent.routed).toMatchObject({ noRouteMatched: true, referrals: [] });
    expect(r.data!.recordConsent.routed.explanation).toMatch(/No route/);
    const refused = await app.gql(CONSENT, { personId: inc.person.id, input: { decision: "REFUSED", purposes: ["SAFEGUARDING"], recipientKinds: ["MASH"], method: "VERBAL" } }, dur);
    expect(refused.data!.recordConsent.routed).toMatchObject({ noRouteMatched: true, explanation: "A refusal routes nothing" });
  });

  it("is null on a consent read any other way", async () => {
    const inc = await record(officer, { areaCode: "CLE-REDCAR", location: { lat: 54.61, lng: -1.07 } });
    await app.gql(CONSENT, { personId: inc.person.id, input: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }, officer);
    const r = await app.gql(`query($id: ID!) { person(id: $id) { consents { id routed { noRouteMatched } } } }`, { id: inc.person.id }, officer);
    expect(r.errors).toBeUndefined();
    expect(r.data!.person.consents[0].routed).toBeNull();
  });
});

describe("Incident.referrals", () => {
  let incidentId: string;
  beforeAll(async () => {
    const inc = await record(officer, { areaCode: "CLE-HARTLEPOOL", location: { lat: 54.68, lng: -1.21 } });
    incidentId = inc.id;
    await app.gql(CONSENT, { personId: inc.person.id, input: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }, officer);
  });

  it("shows the recording force where the referral went and how far it got, and no person", async () => {
    const lead = await app.token("CLE", Role.FORCE_LEAD, { sub: "insp-1" });
    for (const token of [officer, lead]) {
      const r = await app.gql(INCIDENT_REFERRALS, { id: incidentId }, token);
      expect(r.errors).toBeUndefined();
      expect(r.data!.incident.referrals).toEqual([expect.objectContaining({ pathway: "DIRECT_TREATMENT", status: "OPEN", toAgency: { code: "TS-TEESSIDE" }, overdue: false, closedAt: null })]);
    }
    const worker = await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-1" });
    const inbox = await app.gql(`{ referrals(filter: { status: OPEN }) { edges { node { id incident { id } } } } }`, {}, worker);
    const mine = inbox.data!.referrals.edges.find((e: any) => e.node.incident.id === incidentId);
    await app.gql(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id: mine.node.id }, worker);
    const after = await app.gql(INCIDENT_REFERRALS, { id: incidentId }, officer);
    expect(after.data!.incident.referrals[0].status).toBe("ACCEPTED");
  });

  it("has no field that names the person, the referral or its notes", async () => {
    const r = await app.gql(`{ __type(name: "IncidentReferral") { fields { name } } }`, {}, officer);
    expect(r.data!.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual(["closedAt", "createdAt", "dueAt", "overdue", "pathway", "status", "toAgency"]);
  });

  it("shows a receiving agency only its own referral, and another force nothing at all", async () => {
    // A second referral of the same incident, to another agency, sent by the force.
    const [{ id: mash }] = await app.ds.query(`SELECT id FROM agency WHERE code = 'MASH-DUR'`);
    await app.ds.query(
      `INSERT INTO referral (pathway, "incidentId", "personId", "fromAgencyId", "toAgencyId", "dueAt", "createdAt")
       SELECT 'MASH_SAFEGUARDING', i.id, i."personId", i."agencyId", $2, now() + interval '3 days', now() FROM incident i WHERE i.id = $1`,
      [incidentId, mash],
    );
    const byOfficer = await app.gql(INCIDENT_REFERRALS, { id: incidentId }, officer);
    expect(byOfficer.data!.incident.referrals.map((r: any) => r.toAgency.code).sort()).toEqual(["MASH-DUR", "TS-TEESSIDE"]);
    const worker = await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-1" });
    const byService = await app.gql(INCIDENT_REFERRALS, { id: incidentId }, worker);
    expect(byService.errors).toBeUndefined();
    expect(byService.data!.incident.referrals.map((r: any) => r.toAgency.code)).toEqual(["TS-TEESSIDE"]);
    const otherForce = await app.token("DUR", Role.FORCE_LEAD, { sub: "insp-dur" });
    const byOther = await app.gql(INCIDENT_REFERRALS, { id: incidentId }, otherForce);
    expect(byOther.errors?.[0].extensions.code).toBe("NOT_FOUND");
    expect(byOther.data?.incident ?? null).toBeNull();
  });
});

describe("incidentsToHandOver", () => {
  const LOOKUP = `query($f: HandoverLookup!) { incidentsToHandOver(filter: $f) { id occurredAt areaCode recordingAgency { code } } }`;
  const at = new Date(Date.now() - 3 * 3600_000);
  let incidentId: string;
  beforeAll(async () => {
    incidentId = (await record(officer, { occurredAt: at.toISOString(), areaCode: "CLE-STOCKTON", location: { lat: 54.57, lng: -1.32 }, officerCollarNumber: "5150" })).id;
  });

  it("finds the incident by the officer's collar number and about when, and the handover follows", async () => {
    const paramedic = await app.token("NEAS", Role.PARAMEDIC, { sub: "para-1" });
    const r = await app.gql(LOOKUP, { f: { officerCollarNumber: "5150", around: new Date(at.getTime() + 40 * 60_000).toISOString() } }, paramedic);
    expect(r.errors).toBeUndefined();
    expect(r.data!.incidentsToHandOver).toEqual([{ id: incidentId, occurredAt: at.toISOString(), areaCode: "CLE-STOCKTON", recordingAgency: { code: "CLE" } }]);
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'HANDOVER_LOOKUP' AND "actorSub" = 'para-1'`);
    expect(n).toBe(1);
  });

  it("finds nothing for the wrong collar, a time too far off, or an ambulance service that does not serve the area", async () => {
    const paramedic = await app.token("NEAS", Role.PARAMEDIC, { sub: "para-1" });
    const wrongCollar = await app.gql(LOOKUP, { f: { officerCollarNumber: "5151", around: at.toISOString() } }, paramedic);
    expect(wrongCollar.data!.incidentsToHandOver).toEqual([]);
    const tooLate = await app.gql(LOOKUP, { f: { officerCollarNumber: "5150", around: new Date(at.getTime() + 4 * 3600_000).toISOString() } }, paramedic);
    expect(tooLate.data!.incidentsToHandOver).toEqual([]);
    const welsh = await app.token("WAST", Role.PARAMEDIC, { sub: "para-w" });
    const otherService = await app.gql(LOOKUP, { f: { officerCollarNumber: "5150", around: at.toISOString() } }, welsh);
    expect(otherService.data!.incidentsToHandOver).toEqual([]);
  });

  it("finds the incident by the CAD reference the officer noted on the form", async () => {
    const cad = (await record(officer, { areaCode: "CLE-REDCAR", location: { lat: 54.61, lng: -1.07 }, ambulanceCadReference: "NEAS/2026/0042" })).id;
    const paramedic = await app.token("NEAS", Role.PARAMEDIC, { sub: "para-2" });
    const r = await app.gql(LOOKUP, { f: { cadReference: "NEAS/2026/0042" } }, paramedic);
    expect(r.errors).toBeUndefined();
    expect(r.data!.incidentsToHandOver.map((i: { id: string }) => i.id)).toEqual([cad]);
    const welsh = await app.token("WAST", Role.PARAMEDIC, { sub: "para-w" });
    expect((await app.gql(LOOKUP, { f: { cadReference: "NEAS/2026/0042" } }, welsh)).data!.incidentsToHandOver).toEqual([]);
    const incomplete = await app.gql(LOOKUP, { f: { officerCollarNumber: "5150" } }, paramedic);
    expect(incomplete.errors?.[0].extensions.code).toBe("BAD_USER_INPUT");
    expect((incomplete.errors?.[0].extensions.problems as Array<{ field: string }>)[0].field).toBe("filter.around");
  });

  it("is for paramedics only, and names no person", async () => {
    for (const [agency, role] of [["NEAS", Role.NFO_COORDINATOR], ["CLE", Role.OFFICER], ["PH-ENG", Role.ANALYST]] as const) {
      const r = await app.gql(LOOKUP, { f: { officerCollarNumber: "5150", around: at.toISOString() } }, await app.token(agency, role));
      expect(r.errors?.[0].extensions.code).toBe("FORBIDDEN");
    }
    const fields = await app.gql(`{ __type(name: "HandoverCandidate") { fields { name } } }`, {}, officer);
    expect(fields.data!.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual(["areaCode", "id", "occurredAt", "recordingAgency"]);
  });
});

describe("the inbox: several statuses, date ranges, order and totalCount", () => {
  const INBOX = `query($filter: ReferralFilter, $sort: ReferralSort, $first: Int, $after: String) { referrals(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount edges { node { id status createdAt dueAt } } pageInfo { hasNextPage endCursor } } }`;
  let worker: string;
  beforeAll(async () => {
    worker = await app.token("TS-BRISTOL", Role.TREATMENT_WORKER, { sub: "tw-b" });
    const asc = await app.token("ASC", Role.OFFICER, { sub: "pc-asc" });
    const start = Date.now() - 20 * 3600_000;
    for (let k = 0; k < 5; k++) {
      app.clock.set(new Date(start + k * 3600_000));
      const inc = await record(asc, { occurredAt: new Date(start + k * 3600_000 - 600_000).toISOString(), areaCode: "ASC-BRISTOL", location: { lat: 51.45, lng: -2.58 }, ambulanceCalledAt: null, ambulanceArrivedAt: null });
      await app.gql(CONSENT, { personId: inc.person.id, input: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }, asc);
    }
    app.clock.reset();
    const page = await app.gql(INBOX, { sort: "CREATED_AT_ASC" }, worker);
    await app.gql(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id: page.data!.referrals.edges[0].node.id }, worker);
    await app.gql(`mutation($id: ID!) { declineReferral(id: $id, reason: "Outside our catchment") { status } }`, { id: page.data!.referrals.edges[1].node.id }, worker);
  });

  it("filters by several statuses and counts the whole filtered inbox", async () => {
    const r = await app.gql(INBOX, { filter: { statuses: ["OPEN", "ACCEPTED"] }, first: 2 }, worker);
    expect(r.errors).toBeUndefined();
    expect(r.data!.referrals.totalCount).toBe(4);
    expect(r.data!.referrals.edges).toHaveLength(2);
    expect(r.data!.referrals.edges.every((e: any) => ["OPEN", "ACCEPTED"].includes(e.node.status))).toBe(true);
    expect((await app.gql(INBOX, { filter: { statuses: ["DECLINED"] } }, worker)).data!.referrals.totalCount).toBe(1);
  });

  it("sorts newest first and pages through in that order without gaps or repeats", async () => {
    const seen: Array<{ id: string; createdAt: string }> = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await app.gql(INBOX, { sort: "CREATED_AT_DESC", first: 2, after }, worker);
      seen.push(...r.data.referrals.edges.map((e: any) => e.node));
      if (!r.data.referrals.pageInfo.hasNextPage) break;
      after = r.data.referrals.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((s) => s.id)).size).toBe(5);
    expect(seen.map((s) => s.createdAt)).toEqual([...seen.map((s) => s.createdAt)].sort().reverse());
  });

  it("filters by created and due ranges", async () => {
    const all = (await app.gql(INBOX, { sort: "CREATED_AT_ASC" }, worker)).data!.referrals.edges.map((e: any) => e.node);
    const createdFrom = all[2].createdAt;
    const r = await app.gql(INBOX, { filter: { createdFrom, createdTo: all[4].createdAt } }, worker);
    expect(r.data!.referrals.edges.map((e: any) => e.node.id).sort()).toEqual([all[2].id, all[3].id].sort());
    const due = await app.gql(INBOX, { filter: { dueFrom: all[1].dueAt, dueTo: all[2].dueAt } }, worker);
    expect(due.data!.referrals.edges.map((e: any) => e.node.id)).toEqual([all[1].id]);
  });

  it("counts only the caller's own inbox", async () => {
    const other = await app.token("TS-YORK", Role.TREATMENT_WORKER, { sub: "tw-y" });
    const r = await app.gql(INBOX, {}, other);
    expect(r.data!.referrals.totalCount).toBe(0);
  });
});
