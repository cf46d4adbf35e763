import type { AddressInfo } from "node:net";
import request from "supertest";
import type { Client } from "graphql-ws";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";
import { wsSubscribe } from "../helpers/ws";

let app: TestApp;
let url: string;
let auditor: string;
const clients: Client[] = [];

beforeAll(async () => {
  app = await createTestApp();
  await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", () => resolve()));
  url = `ws://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}/graphql`;
  auditor = await app.token("HUB", Role.AUDITOR, { sub: "auditor-sar" });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await app.close();
});

const FIND = `query($identity: IdentityInput!) { findPerson(identity: $identity) { id } }`;
const REPORT = `query($p: ID!) { subjectAccessReport(personId: $p) {
  personId identifyingDataHeld identifyingDataErasedAt refusedReads truncated
  records { kind id agencyCode at status }
  disclosures { at kind agencyCode actorSub basis purpose fields channel reference auditEventId requestId } } }`;
const PERSON = `query($p: ID!) { person(id: $p) { id givenName familyName dateOfBirth } }`;
const RECEIVED = `subscription { referralReceived { id person { id givenName } } }`;

const identity = { givenName: "Sarah-Jane", familyName: "Subjectaccess", dateOfBirth: "1988-08-08" };

async function recordWithReferral(): Promise<{ personId: string; incidentId: string }> {
  const officer = await app.token("CLE", Role.OFFICER, { sub: "pc-sar" });
  const r = await app.gql(
    RECORD,
    { input: validForm({ areaCode: "CLE-HARTLEPOOL", person: identity, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }) },
    officer,
  );
  expect(r.errors).toBeUndefined();
  return { personId: r.data!.recordNaloxoneAdministration.person.id, incidentId: r.data!.recordNaloxoneAdministration.id };
}

describe("subject access", () => {
  let personId: string;

  it("lists every read of the person made through GraphQL, subscriptions and FHIR, with basis, purpose and channel", async () => {
    const sub = wsSubscribe(url, await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-sar" }), RECEIVED);
    clients.push(sub.client);
    await sub.ready;
    ({ personId } = await recordWithReferral());
    const event = await sub.next();
    expect(event.data.referralReceived.person.givenName).toBe("Sarah-Jane");

    // A GraphQL read by the recording force, and an attempt by an agency with no standing (NOT_FOUND, nothing read).
    const read = await app.gql(PERSON, { p: personId }, await app.token("CLE", Role.OFFICER, { sub: "pc-reader" }));
    expect(read.data!.person.familyName).toBe("Subjectaccess");
    const refused = await app.gql(`query($p: ID!) { person(id: $p) { givenName } }`, { p: personId }, await app.token("TS-BRISTOL", Role.TREATMENT_WORKER, { sub: "tw-curious" }));
    expect(refused.data?.person ?? null).toBeNull();

    // And one through FHIR.
    const fhir = await request(app.hub.app).get(`/fhir/R4/Patient/${personId}`).set("authorization", `Bearer ${await app.token("CLE", Role.OFFICER, { sub: "pc-fhir-reader" })}`);
    expect(JSON.parse(fhir.text).name).toEqual([{ family: "Subjectaccess", given: ["Sarah-Jane"] }]);

    const found = await app.gql(FIND, { identity }, auditor);
    expect(found.errors).toBeUndefined();
    expect(found.data!.findPerson.id).toBe(personId);

    const r = await app.gql(REPORT, { p: personId }, auditor);
    expect(r.errors).toBeUndefined();
    const report = r.data!.subjectAccessReport;
    expect(report.truncated).toBe(false);
    expect(report.identifyingDataHeld).toEqual(expect.arrayContaining(["givenName", "familyName", "dateOfBirth", "identityKey"]));
    expect(report.records.map((x: any) => x.kind).sort()).toEqual(["CONSENT", "INCIDENT", "REFERRAL"]);
    expect(report.records.find((x: any) => x.kind === "CONSENT").status).toBe("ACTIVE");

    // Every PERSON_READ row of the person appears, each exactly once.
    const audited = await app.ds.query(`SELECT id::text AS id FROM audit_event WHERE "personId" = $1 AND action = 'PERSON_READ' ORDER BY id`, [personId]);
    const reads = report.disclosures.filter((d: any) => d.kind === "READ");
    expect(reads.map((d: any) => d.auditEventId).sort()).toEqual(audited.map((a: any) => a.id).sort());
    expect(reads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agencyCode: "TS-TEESSIDE", actorSub: "tw-sar", basis: "CONSENT", purpose: "TREATMENT_REFERRAL", channel: "SUBSCRIPTION", fields: ["givenName"] }),
        expect.objectContaining({ agencyCode: "CLE", actorSub: "pc-reader", basis: "RECORDING_AGENCY", channel: "GRAPHQL", fields: ["dateOfBirth", "familyName", "givenName"] }),
        expect.objectContaining({ agencyCode: "CLE", actorSub: "pc-fhir-reader", basis: "RECORDING_AGENCY", channel: "FHIR", fields: ["dateOfBirth", "familyName", "gender", "givenName"] }),
      ]),
    );
    expect(reads.some((d: any) => d.agencyCode === "TS-BRISTOL")).toBe(false);
    const denied = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE "personId" = $1 AND action = 'PERSON_READ_DENIED'`, [personId]);
    expect(report.refusedReads).toBe(denied[0].n);
    expect(report.disclosures).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "RECEIVED", agencyCode: "TS-TEESSIDE", basis: "CONSENT", purpose: "TREATMENT_REFERRAL" })]));
    // No identifying value travels in the report.
    expect(JSON.stringify(r.body)).not.toMatch(/Sarah|Subjectaccess|1988-08-08/);

    const rows = await app.ds.query(`SELECT action, detail FROM audit_event WHERE "actorSub" = 'auditor-sar' AND "personId" = $1 ORDER BY id`, [personId]);
    expect(rows.map((x: any) => x.action)).toEqual(["PERSON_LOOKUP", "SUBJECT_ACCESS_REPORT"]);
  });

  it("finds a person only by an exact identity: a near miss finds nothing, and is audited without the names", async () => {
    const before = (await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'PERSON_LOOKUP'`))[0].n;
    for (const miss of [
      { ...identity, familyName: "Subjectacces" },
      { ...identity, dateOfBirth: "1988-08-09" },
      { ...identity, givenName: "Sarah" },
    ]) {
      const r = await app.gql(FIND, { identity: miss }, auditor);
      expect(r.errors).toBeUndefined();
      expect(r.data!.findPerson).toBeNull();
    }
    // Case and accents are not a different name (the identity key normalises them).
    const same = await app.gql(FIND, { identity: { ...identity, givenName: "SARAH-JANE" } }, auditor);
    expect(same.data!.findPerson.id).toBe(personId);
    const rows = await app.ds.query(`SELECT "personId", detail FROM audit_event WHERE action = 'PERSON_LOOKUP' ORDER BY id`);
    expect(rows.length - before).toBe(4);
    expect(rows.slice(-4).map((x: any) => x.detail.matched)).toEqual([false, false, false, true]);
    expect(JSON.stringify(rows)).not.toMatch(/Sarah|Subjectaccess|1988/i);
  });

  it("is for auditors only, and an unknown person is NOT_FOUND", async () => {
    for (const [agency, role] of [["CLE", Role.OFFICER], ["TS-TEESSIDE", Role.TREATMENT_WORKER], ["HUB", Role.ADMIN], ["PH-ENG", Role.ANALYST]] as const) {
      const token = await app.token(agency, role);
      const f = await app.gql(FIND, { identity }, token);
      expect(f.errors![0].extensions.code).toBe("FORBIDDEN");
      const r = await app.gql(REPORT, { p: personId }, token);
      expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
      const csv = await request(app.hub.app).get(`/export/subject-access/${personId}.csv`).set("authorization", `Bearer ${token}`);
      expect(csv.status).toBe(403);
      expect(csv.text).not.toMatch(/Sarah|Subjectaccess/);
    }
    expect((await app.gql(REPORT, { p: "00000000-0000-4000-8000-000000000000" }, auditor)).errors![0].extensions.code).toBe("NOT_FOUND");
    expect((await request(app.hub.app).get(`/export/subject-access/${personId}.csv`)).status).toBe(401);
    const bad = await app.gql(FIND, { identity: { ...identity, dateOfBirth: "8 Aug 1988" } }, auditor);
    expect(bad.errors![0].extensions.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(bad.body)).not.toContain("8 Aug 1988");
  });

  it("does not let a GraphQL client pass its reads off as another channel", async () => {
    const token = await app.token("CLE", Role.OFFICER, { sub: "pc-spoof" });
    const res = await request(app.hub.app).post("/graphql").set("authorization", `Bearer ${token}`).set("x-request-id", "fhir-spoofed-0001").send({ query: PERSON, variables: { p: personId } });
    expect(res.body.data.person.givenName).toBe("Sarah-Jane");
    const [row] = await app.ds.query(`SELECT "requestId" FROM audit_event WHERE "actorSub" = 'pc-spoof'`);
    expect(row.requestId).not.toMatch(/^fhir-/);
    const report = (await app.gql(REPORT, { p: personId }, auditor)).data!.subjectAccessReport;
    expect(report.disclosures.find((d: any) => d.actorSub === "pc-spoof").channel).toBe("GRAPHQL");
  });

  it("exports the same report as CSV, through the same permission map and audit", async () => {
    const res = await request(app.hub.app).get(`/export/subject-access/${personId}.csv`).set("authorization", `Bearer ${auditor}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = res.text.trim().split("\r\n");
    expect(lines[0]).toBe("section,at,kind,agency,actor,basis,purpose,fields,channel,reference,record_id,status");
    const json = (await app.gql(REPORT, { p: personId }, auditor)).data!.subjectAccessReport;
    expect(lines.filter((l) => l.startsWith('"record"'))).toHaveLength(json.records.length);
    // The CSV was produced before the JSON report above: at least as many disclosures in the JSON.
    expect(lines.filter((l) => l.startsWith('"disclosure"')).length).toBeLessThanOrEqual(json.disclosures.length);
    expect(lines.some((l) => l.includes('"READ"') && l.includes('"tw-sar"') && l.includes('"SUBSCRIPTION"'))).toBe(true);
    expect(res.text).not.toMatch(/Sarah|Subjectaccess|1988-08-08/);
    const [row] = await app.ds.query(`SELECT "requestId", detail FROM audit_event WHERE action = 'SUBJECT_ACCESS_REPORT' AND detail->>'format' = 'csv' ORDER BY id DESC LIMIT 1`);
    expect(row.requestId).toMatch(/^export-/);
  });
});
