import request from "supertest";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { r4Problems, resourcesIn } from "../helpers/fhir";

// The expected answers below are written from the contract's words, independently of the policy
// code: a role's agency and purpose, which roles may look people up, and which bases permit.

const AGENCY_OF: Record<Role, string> = {
  ADMIN: "HUB",
  AUDITOR: "HUB",
  ANALYST: "PH-ENG",
  OFFICER: "CLE",
  FORCE_LEAD: "CLE",
  PARAMEDIC: "NEAS",
  NFO_COORDINATOR: "NEAS",
  TREATMENT_WORKER: "TS-DURHAM",
  HARM_REDUCTION_LEAD: "HRT-SW",
  CASE_COORDINATOR: "HRT-SW",
  MASH_REVIEWER: "MASH-DUR",
  PRISON_NALOXONE_LEAD: "PRISON-5",
  PROGRAMME_LEAD: "HUB",
};
const PURPOSE_OF: Partial<Record<Role, string>> = {
  TREATMENT_WORKER: "TREATMENT_REFERRAL",
  NFO_COORDINATOR: "TREATMENT_REFERRAL",
  HARM_REDUCTION_LEAD: "HARM_REDUCTION_REVIEW",
  CASE_COORDINATOR: "HARM_REDUCTION_REVIEW",
  MASH_REVIEWER: "SAFEGUARDING",
};
const MAY_LOOK_UP_PEOPLE = new Set<Role>([
  Role.OFFICER, Role.FORCE_LEAD, Role.PARAMEDIC, Role.NFO_COORDINATOR, Role.TREATMENT_WORKER, Role.HARM_REDUCTION_LEAD, Role.CASE_COORDINATOR, Role.MASH_REVIEWER,
]);

const CONSENT_STATES = ["none", "givenThisPurposeAndAgency", "givenOtherPurpose", "givenOtherAgency", "expired", "withdrawn", "refused"] as const;
const OTHER_BASES = ["none", "recordingAgency", "handoverAmbulance", "grantActive", "grantExpired"] as const;
type ConsentState = (typeof CONSENT_STATES)[number];
type OtherBasis = (typeof OTHER_BASES)[number];
const PERSON_FIELDS = ["givenName", "familyName", "dateOfBirth", "ageYears", "gender"] as const;

function expectPersonVisible(role: Role, consent: ConsentState, basis: OtherBasis): boolean {
  if (!MAY_LOOK_UP_PEOPLE.has(role)) return false;
  if (basis === "recordingAgency" || basis === "handoverAmbulance" || basis === "grantActive") return true;
  return consent === "givenThisPurposeAndAgency" && PURPOSE_OF[role] !== undefined;
}
/** An incident itself is reachable only by its recorder and the handover ambulance service. */
function expectLocationVisible(role: Role, basis: OtherBasis): boolean {
  return MAY_LOOK_UP_PEOPLE.has(role) && (basis === "recordingAgency" || basis === "handoverAmbulance");
}

let app: TestApp;
const agencyIds = new Map<string, string>();
beforeAll(async () => {
  app = await createTestApp();
  for (const r of await app.ds.query(`SELECT id, code FROM agency`)) agencyIds.set(r.code, r.id);
});
afterAll(() => app.close());

const letters = (n: number) => Array.from(String(n), (d) => "abcdefghij"[Number(d)]).join("");

async function insertIncident(agencyCode: string, personId: string, n: number): Promise<string> {
  const [row] = await app.ds.query(
    `INSERT INTO incident ("agencyId", "idempotencyKey", "requestHash", "recordedBySub", "occurredAt", "areaCode", lat, lng, "personId",
       "dosesAdministered", outcome, "seenByParamedics", "resupplyNeeded",
       "firstAidTriedtowakeverbally", "firstAidTiltedheadback", "firstAidCheckedbreathing", "firstAidRecoveryposition",
       "firstAidChestcompressions", "firstAidRescuebreaths", "firstAidClearedairways", "firstAidCheckedpulse")
     VALUES ($1, $2, 'x', 'matrix', now() - interval '3 hours', 'DUR-DURHAM', 54.7, -1.5, $3, 1, 'CONSCIOUS_AND_RESPONSIVE', true, false,
       true, true, true, true, false, false, true, true) RETURNING id`,
    [agencyIds.get(agencyCode), `matrix-${agencyCode}-${n}`, personId],
  );
  return row.id;
}

async function scenario(n: number, role: Role, consent: ConsentState, basis: OtherBasis) {
  const agency = AGENCY_OF[role];
  const givenName = `Matrix${letters(n)}`;
  const [person] = await app.ds.query(
    `INSERT INTO person ("givenName", "familyName", "dateOfBirth", "ageYears", gender, "createdByAgencyId") VALUES ($1, 'Testperson', '1991-03-03', 35, 'FEMALE', $2) RETURNING id`,
    [givenName, agencyIds.get("DUR")],
  );
  let incidentId = await insertIncident("DUR", person.id, n);
  if (basis === "recordingAgency") incidentId = await insertIncident(agency, person.id, n);
  if (basis === "handoverAmbulance") {
    await app.ds.query(
      `INSERT INTO handover ("incidentId", "agencyId", "idempotencyKey", "requestHash", "recordedBySub", "handedOverAt") VALUES ($1, $2, $3, 'x', 'matrix', now())`,
      [incidentId, agencyIds.get(agency), `matrix-${n}`],
    );
  }
  if (basis === "grantActive" || basis === "grantExpired") {
    const expires = basis === "grantActive" ? "now() + interval '2 hours'" : "now() - interval '1 minute'";
    await app.ds.query(
      `INSERT INTO access_grant ("personId", "agencyId", "grantedToSub", basis, justification, "grantedAt", "expiresAt")
       VALUES ($1, $2, 'matrix', 'VITAL_INTERESTS', 'matrix test emergency justification', now() - interval '3 hours', ${expires})`,
      [person.id, agencyIds.get(agency)],
    );
  }
  if (consent !== "none") {
    const purpose = PURPOSE_OF[role] ?? "TREATMENT_REFERRAL";
    const otherPurpose = purpose === "TASKFORCE_REVIEW" ? "SAFEGUARDING" : "TASKFORCE_REVIEW";
    const c = {
      decision: consent === "refused" ? "REFUSED" : "GIVEN",
      purposes: [consent === "givenOtherPurpose" ? otherPurpose : purpose],
      codes: [consent === "givenOtherAgency" ? "TS-BRISTOL" : agency],
      expiresAt: consent === "expired" ? new Date(Date.now() - 3600_000) : null,
      withdrawnAt: consent === "withdrawn" ? new Date(Date.now() - 3600_000) : null,
    };
    await app.ds.query(
      `INSERT INTO consent ("personId", decision, purposes, "recipientAgencyCodes", method, "obtainedAt", "expiresAt", "withdrawnAt", "recordedByAgencyId", "recordedBySub")
       VALUES ($1, $2, $3::purpose[], $4, 'VERBAL', now() - interval '2 hours', $5, $6, $7, 'matrix')`,
      [person.id, c.decision, c.purposes, c.codes, c.expiresAt, c.withdrawnAt, agencyIds.get("DUR")],
    );
  }
  return { personId: person.id as string, incidentId, givenName };
}

describe("permission matrix: role × identifying field × consent state × other basis", () => {
  it("never leaks an identifying field, and shows each one exactly where the rules allow", async () => {
    const tokens = new Map<Role, string>();
    for (const role of Object.values(Role)) tokens.set(role, await app.token(AGENCY_OF[role], role, { sub: `matrix-${role.toLowerCase()}` }));
    const Q = `query($p: ID!, $i: ID!) {
      person(id: $p) { id givenName familyName dateOfBirth ageYears gender }
      incident(id: $i) { location { lat lng } }
    }`;
    let cases = 0;
    let n = 0;
    const failures: string[] = [];
    for (const role of Object.values(Role)) {
      for (const consent of CONSENT_STATES) {
        for (const basis of OTHER_BASES) {
          n++;
          const s = await scenario(n, role, consent, basis);
          const r = await app.gql(Q, { p: s.personId, i: s.incidentId }, tokens.get(role));
          const where = `${role}/${consent}/${basis}`;
          const personVisible = expectPersonVisible(role, consent, basis);
          const person = r.data?.person ?? null;
          const errorAt = (path: string[]) => (r.errors ?? []).find((e) => JSON.stringify(e.path) === JSON.stringify(path));
          for (const field of PERSON_FIELDS) {
            cases++;
            const value = person ? person[field] : null;
            if (personVisible) {
              const expected = { givenName: s.givenName, familyName: "Testperson", dateOfBirth: "1991-03-03", ageYears: 35, gender: "FEMALE" }[field];
              if (value !== expected) failures.push(`${where}: ${field} should be visible, got ${JSON.stringify(value)}`);
            } else {
              if (value !== null) failures.push(`${where}: ${field} LEAKED`);
              if (person && errorAt(["person", field])?.extensions.code !== "CONSENT_REQUIRED") failures.push(`${where}: ${field} should carry CONSENT_REQUIRED`);
            }
          }
          cases++;
          const location = r.data?.incident?.location ?? null;
          if (expectLocationVisible(role, basis)) {
            if (!location || location.lat !== 54.7) failures.push(`${where}: location should be visible`);
          } else if (location !== null) failures.push(`${where}: location LEAKED`);
          if (!personVisible && JSON.stringify(r.body).includes(s.givenName)) failures.push(`${where}: the name appears in the response`);
          if (!person && !errorAt(["person"])) failures.push(`${where}: a hidden person must come with an error`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(500);
    expect(n).toBe(Object.values(Role).length * CONSENT_STATES.length * OTHER_BASES.length);
  }, 120_000);
});

describe("the same matrix through /fhir/R4 (one decision path)", () => {
  const auditSince = async (watermark: number) =>
    (await app.ds.query(`SELECT "actorSub", "actorAgencyCode", action, "personId", basis, purpose, fields FROM audit_event WHERE id > $1 ORDER BY id`, [watermark])) as unknown[];
  const watermark = async () => Number((await app.ds.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_event`))[0].id);

  it("leaks nothing, shows what GraphQL shows, and audits each read exactly as GraphQL does", async () => {
    const tokens = new Map<Role, string>();
    for (const role of Object.values(Role)) tokens.set(role, await app.token(AGENCY_OF[role], role, { sub: `fhirmatrix-${role.toLowerCase()}` }));
    // The GraphQL operations asking for what the FHIR Patient and MedicationAdministration carry.
    const P = `query($p: ID!) { person(id: $p) { id givenName familyName dateOfBirth gender } }`;
    const I = `query($i: ID!) { incident(id: $i) { location { lat lng } } }`;
    const STATUS: Record<string, number> = { NOT_FOUND: 404, FORBIDDEN: 403 };
    const failures: string[] = [];
    let n = 10_000;
    let cases = 0;
    let reads = 0;
    for (const role of Object.values(Role)) {
      for (const consent of CONSENT_STATES) {
        for (const basis of OTHER_BASES) {
          n++;
          const s = await scenario(n, role, consent, basis);
          const where = `${role}/${consent}/${basis}`;
          const token = tokens.get(role)!;
          for (const [gqlQuery, vars, path, visible, fieldOf] of [
            [P, { p: s.personId }, `/fhir/R4/Patient/${s.personId}`, expectPersonVisible(role, consent, basis), "person"],
            [I, { i: s.incidentId }, `/fhir/R4/MedicationAdministration/${s.incidentId}`, expectLocationVisible(role, basis), "incident"],
          ] as const) {
            cases++;
            let mark = await watermark();
            const g = await app.gql(gqlQuery, vars, token);
            const gqlAudit = await auditSince(mark);
            mark = await watermark();
            const res = await request(app.hub.app).get(path).set("authorization", `Bearer ${token}`);
            const fhirAudit = await auditSince(mark);
            reads += fhirAudit.length;
            const what = path.split("/")[3];
            for (const r of resourcesIn(JSON.parse(res.text))) {
              const problems = r4Problems(r);
              if (problems.length > 0) failures.push(`${where} ${what}: not valid R4: ${problems.join("; ")}`);
            }
            const secret = fieldOf === "person" ? s.givenName : "54.7";
            const shown = res.text.includes(secret);
            if (visible && !shown) failures.push(`${where} ${what}: should be visible`);
            if (!visible && shown) failures.push(`${where} ${what}: LEAKED`);
            const gqlRow = g.data?.[fieldOf] ?? null;
            const expectedStatus = gqlRow ? 200 : STATUS[(g.errors ?? []).find((e) => e.path?.[0] === fieldOf)?.extensions.code ?? ""] ?? -1;
            if (res.status !== expectedStatus) failures.push(`${where} ${what}: status ${res.status}, GraphQL answered as ${expectedStatus}`);
            if (res.status === 200 && !visible && !JSON.parse(res.text).meta?.security?.some((l: { code: string }) => l.code === "REDACTED")) {
              failures.push(`${where} ${what}: withheld elements not labelled REDACTED`);
            }
            if (JSON.stringify(fhirAudit) !== JSON.stringify(gqlAudit)) failures.push(`${where} ${what}: audit ${JSON.stringify(fhirAudit)} != GraphQL ${JSON.stringify(gqlAudit)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBe(Object.values(Role).length * CONSENT_STATES.length * OTHER_BASES.length * 2);
    expect(reads).toBeGreaterThan(100);
  }, 240_000);
});

describe("data-protection operations", () => {
  it("are for AUDITOR only", async () => {
    const OPS = [
      `query { findPerson(identity: { givenName: "Matrix", familyName: "Testperson", dateOfBirth: "1991-03-03" }) { id } }`,
      `query { subjectAccessReport(personId: "00000000-0000-4000-8000-000000000000") { personId } }`,
      `query { retentionReport { peopleDue } }`,
    ];
    for (const role of Object.values(Role)) {
      const token = await app.token(AGENCY_OF[role], role);
      for (const op of OPS) {
        const r = await app.gql(op, {}, token);
        const code = r.errors?.[0]?.extensions.code;
        if (role === Role.AUDITOR) expect({ role, op, code: code === "FORBIDDEN" ? code : "allowed" }).toEqual({ role, op, code: "allowed" });
        else expect({ role, op, code }).toEqual({ role, op, code: "FORBIDDEN" });
      }
    }
  });
});
