import { randomUUID } from "node:crypto";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { HANDOVER, RECORD, validForm } from "../helpers/forms";

/**
 * The cross-agency rule, tried as an officer of another force would: an agency learns about a person
 * what it recorded itself and what was shared with it under a basis, and nothing of the person's
 * dealings with other agencies. The AUDITOR sees everything.
 */
let app: TestApp;
let personId: string;
let durIncident: string;
let cleIncident: string;
let consentId: string;
const person = { givenName: "Crossy", familyName: "Agencytestperson", dateOfBirth: "1984-04-14" };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  app = await createTestApp();
  tokens.dur = await app.token("DUR", Role.OFFICER, { sub: "pc-dur" });
  tokens.cle = await app.token("CLE", Role.OFFICER, { sub: "pc-cle" });
  tokens.neas = await app.token("NEAS", Role.PARAMEDIC, { sub: "para-neas" });
  tokens.ts = await app.token("TS-DURHAM", Role.TREATMENT_WORKER, { sub: "tw-dur" });
  tokens.auditor = await app.token("HUB", Role.AUDITOR, { sub: "auditor-x" });
  tokens.prison = await app.token("PRISON-5", Role.PRISON_NALOXONE_LEAD);
  tokens.prison3 = await app.token("PRISON-3", Role.PRISON_NALOXONE_LEAD);

  // Durham police record the overdose with the person's consent to the Durham treatment service...
  const dur = await app.gql(RECORD, { input: validForm({ areaCode: "DUR-DURHAM", person, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-DURHAM"], method: "VERBAL" } }) }, tokens.dur);
  expect(dur.errors).toBeUndefined();
  durIncident = dur.data!.recordNaloxoneAdministration.id;
  personId = dur.data!.recordNaloxoneAdministration.person.id;
  [{ id: consentId }] = await app.ds.query(`SELECT id FROM consent WHERE "personId" = $1`, [personId]);
  // ...the North East ambulance service takes the handover...
  const ho = await app.gql(HANDOVER, { input: { incidentId: durIncident, idempotencyKey: `ho-${randomUUID()}`, handedOverAt: new Date(Date.now() - 100 * 60_000).toISOString(), conveyedToHospital: true } }, tokens.neas);
  expect(ho.errors).toBeUndefined();
  // ...a prison records the same person's release...
  const rel = await app.gql(
    `mutation($i: PrisonReleaseInput!) { recordPrisonRelease(input: $i) { id } }`,
    { i: { idempotencyKey: `rel-${randomUUID()}`, person, opioidUseIdentified: true, pointOfOffer: "CARE_OR_RECOVERY_PLANNING", offerOutcome: "ACCEPTED", trainedOn: "2026-08-10", trainerType: "NALOXONE_LEAD", kitIssued: true, kitHeldIn: "PROPERTY", releaseDate: "2026-09-15", releaseType: "RELEASED", releasedWithKit: true } },
    tokens.prison,
  );
  expect(rel.errors).toBeUndefined();
  // ...and Cleveland police, typing the same names and date of birth, are linked to the same person.
  const cle = await app.gql(RECORD, { input: validForm({ areaCode: "CLE-STOCKTON", person }) }, tokens.cle);
  expect(cle.data!.recordNaloxoneAdministration.person.id).toBe(personId);
  cleIncident = cle.data!.recordNaloxoneAdministration.id;
});
afterAll(() => app.close());

const PERSON = `query($p: ID!) { person(id: $p) { givenName consents { id recipientAgencyCodes recordedByAgency { code } } takeHomeNaloxone { releasedWithKit } } }`;
const EXPLAIN = `query($p: ID!) { explainAccess(personId: $p) { agency { code } basis consentId } }`;
const explained = async (token: string) => {
  const r = await app.gql(EXPLAIN, { p: personId }, token);
  expect(r.errors).toBeUndefined();
  return (r.data!.explainAccess as Array<{ agency: { code: string }; basis: string }>).map((e) => `${e.agency.code}:${e.basis}`).sort();
};

describe("an officer of another force, linked by name and date of birth", () => {
  it("sees the person it recorded, but not their consents naming others (a health fact)", async () => {
    const r = await app.gql(PERSON, { p: personId }, tokens.cle);
    expect(r.data!.person.givenName).toBe("Crossy");
    expect(r.data!.person.consents).toEqual([]);
    expect(JSON.stringify(r.body)).not.toContain("TS-DURHAM");
  });

  it("gets only its own basis from explainAccess: not the other force, the ambulance service or the treatment service", async () => {
    expect(await explained(tokens.cle)).toEqual(["CLE:RECORDING_AGENCY"]);
  });

  it("reaches only its own incidents, not the other force's, nor the handovers of them", async () => {
    const own = await app.gql(`{ incidents(first: 100) { edges { node { id } } } }`, {}, tokens.cle);
    const ids = own.data!.incidents.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toContain(cleIncident);
    expect(ids).not.toContain(durIncident);
    const other = await app.gql(`query($i: ID!) { incident(id: $i) { id handovers { id } } }`, { i: durIncident }, tokens.cle);
    expect(other.errors![0].extensions.code).toBe("NOT_FOUND");
  });

  it("never sees the prison's take-home naloxone record", async () => {
    const r = await app.gql(PERSON, { p: personId }, tokens.cle);
    expect(r.data!.person.takeHomeNaloxone).toBeNull();
    expect(r.errors!.find((e) => e.path?.join(".") === "person.takeHomeNaloxone")?.extensions.code).toBe("CONSENT_REQUIRED");
    // Nor does another prison see this prison's record.
    const p3 = await app.gql(`{ prisonReleases(first: 100) { edges { node { id } } } }`, {}, tokens.prison3);
    expect(p3.data!.prisonReleases.edges).toEqual([]);
  });
});

describe("what each agency learns from explainAccess and consents", () => {
  it("the recording force sees its own basis and those it shared with: the ambulance that took its handover, the service its consent names", async () => {
    expect(await explained(tokens.dur)).toEqual(["DUR:RECORDING_AGENCY", "NEAS:DIRECT_CARE", "TS-DURHAM:CONSENT"]);
    const r = await app.gql(PERSON, { p: personId }, tokens.dur);
    expect(r.data!.person.consents.map((c: { id: string }) => c.id)).toEqual([consentId]);
  });

  it("the treatment service sees its own consent basis, and the consent naming it", async () => {
    expect(await explained(tokens.ts)).toEqual(["TS-DURHAM:CONSENT"]);
    const r = await app.gql(PERSON, { p: personId }, tokens.ts);
    expect(r.data!.person.consents).toEqual([{ id: consentId, recipientAgencyCodes: ["TS-DURHAM"], recordedByAgency: { code: "DUR" } }]);
  });

  it("the ambulance service sees only its direct care, not the consent to the treatment service", async () => {
    expect(await explained(tokens.neas)).toEqual(["NEAS:DIRECT_CARE"]);
    const r = await app.gql(PERSON, { p: personId }, tokens.neas);
    expect(r.data!.person.consents).toEqual([]);
  });

  it("the AUDITOR sees every agency that can see the person", async () => {
    expect(await explained(tokens.auditor)).toEqual(["CLE:RECORDING_AGENCY", "DUR:RECORDING_AGENCY", "NEAS:DIRECT_CARE", "TS-DURHAM:CONSENT"]);
  });

  it("an agency with no standing gets NOT_FOUND, as for an id that does not exist", async () => {
    const r = await app.gql(EXPLAIN, { p: personId }, await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER));
    expect(r.errors![0].extensions.code).toBe("NOT_FOUND");
  });
});
