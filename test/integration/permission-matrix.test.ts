import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";

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
