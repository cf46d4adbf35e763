import { randomUUID } from "node:crypto";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

/** No self-granted basis: a consent an agency records is never a basis for that agency itself. */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());
afterEach(() => app.clock.reset());

const CONSENT = `mutation($p: ID!, $i: ConsentInput!) { recordConsent(personId: $p, input: $i) { id } }`;
const THN = `query($p: ID!) { person(id: $p) { givenName takeHomeNaloxone { releasedWithKit } } }`;

async function personReleasedWithKit(person: { givenName: string; familyName: string; dateOfBirth: string }): Promise<string> {
  const inc = await app.gql(RECORD, { input: validForm({ areaCode: "DUR-DURHAM", person }) }, await app.token("DUR", Role.OFFICER));
  const personId = inc.data!.recordNaloxoneAdministration.person.id;
  const rel = await app.gql(
    `mutation($i: PrisonReleaseInput!) { recordPrisonRelease(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: `rel-${randomUUID()}`, person, opioidUseIdentified: true, pointOfOffer: "CARE_OR_RECOVERY_PLANNING", offerOutcome: "ACCEPTED",
        trainedOn: "2026-08-10", trainerType: "NALOXONE_LEAD", kitIssued: true, kitHeldIn: "PROPERTY", releaseDate: "2026-09-15", releaseType: "RELEASED", releasedWithKit: true,
      },
    },
    await app.token("PRISON-5", Role.PRISON_NALOXONE_LEAD),
  );
  expect(rel.errors).toBeUndefined();
  return personId;
}

describe("no self-granted basis", () => {
  it("a force's 'consent' naming itself, for any purpose, does not open take-home naloxone status to it", async () => {
    const personId = await personReleasedWithKit({ givenName: "Selfy", familyName: "Grantertestperson", dateOfBirth: "1982-02-12" });
    const police = await app.token("DUR", Role.OFFICER, { sub: "pc-self" });
    for (const purposes of [["TREATMENT_REFERRAL"], ["SAFEGUARDING", "HARM_REDUCTION_REVIEW", "TASKFORCE_REVIEW"]]) {
      const c = await app.gql(CONSENT, { p: personId, i: { decision: "GIVEN", purposes, recipientAgencyCodes: ["DUR"], recipientKinds: ["POLICE_FORCE"], method: "WRITTEN" } }, police);
      expect(c.errors).toBeUndefined();
      const r = await app.gql(THN, { p: personId }, police);
      expect(r.data!.person).toEqual({ givenName: "Selfy", takeHomeNaloxone: null });
      expect(r.errors!.map((e) => [e.path!.join("."), e.extensions.code])).toEqual([["person.takeHomeNaloxone", "CONSENT_REQUIRED"]]);
    }
  });

  it("a consent naming the force that someone else recorded (a treatment service with its own basis) does", async () => {
    const personId = await personReleasedWithKit({ givenName: "Othery", familyName: "Recordertestperson", dateOfBirth: "1981-01-11" });
    const police = await app.token("DUR", Role.OFFICER);
    // The force records consent to the treatment service; the service, with that basis, records the person's consent to police.
    await app.gql(CONSENT, { p: personId, i: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-DURHAM"], method: "WRITTEN" } }, police);
    const tw = await app.token("TS-DURHAM", Role.TREATMENT_WORKER);
    const c = await app.gql(CONSENT, { p: personId, i: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["DUR"], method: "WRITTEN" } }, tw);
    expect(c.errors).toBeUndefined();
    expect((await app.gql(THN, { p: personId }, police)).data!.person.takeHomeNaloxone).toEqual({ releasedWithKit: true });
  });

  it("a MASH whose emergency grant has run out cannot keep seeing the person through a consent it recorded naming itself", async () => {
    const inc = await app.gql(RECORD, { input: validForm({ areaCode: "DUR-DURHAM", person: { givenName: "Glassy", familyName: "Breakertestperson", dateOfBirth: "1980-10-10" } }) }, await app.token("DUR", Role.OFFICER));
    const personId = inc.data!.recordNaloxoneAdministration.person.id;
    const mash = await app.token("MASH-DUR", Role.MASH_REVIEWER);
    const g = await app.gql(`mutation($p: ID!) { requestEmergencyAccess(personId: $p, basis: SAFEGUARDING, justification: "Child at the address reported at risk by the officer") { id } }`, { p: personId }, mash);
    expect(g.errors).toBeUndefined();
    const c = await app.gql(CONSENT, { p: personId, i: { decision: "GIVEN", purposes: ["SAFEGUARDING"], recipientAgencyCodes: ["MASH-DUR"], method: "VERBAL" } }, mash);
    expect(c.errors).toBeUndefined();
    app.clock.set(new Date(Date.now() + (app.config.emergencyGrantHours + 1) * 3600_000));
    const r = await app.gql(`query($p: ID!) { person(id: $p) { givenName } }`, { p: personId }, mash);
    expect(r.data!.person.givenName).toBeNull();
    expect(r.errors![0].extensions.code).toBe("CONSENT_REQUIRED");
  });
});
