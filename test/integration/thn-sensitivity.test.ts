import { randomUUID } from "node:crypto";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const person = { givenName: "Kitty", familyName: "Releasetestperson", dateOfBirth: "1986-06-16" };
const Q = `query($p: ID!) { person(id: $p) { givenName takeHomeNaloxone { releasedWithKit releaseDate } } }`;

describe("take-home naloxone status is sensitive by default", () => {
  it("links a release to the person, and shows the kit only where the rule allows", async () => {
    // Durham police record an overdose; the prison later records the same person's release.
    const inc = await app.gql(RECORD, { input: validForm({ areaCode: "DUR-DURHAM", person }) }, await app.token("DUR", Role.OFFICER));
    const personId = inc.data!.recordNaloxoneAdministration.person.id;
    const rel = await app.gql(
      `mutation($i: PrisonReleaseInput!) { recordPrisonRelease(input: $i) { id releasedWithKit } }`,
      {
        i: {
          idempotencyKey: `rel-${randomUUID()}`, person: { ...person, givenName: "KITTY" }, opioidUseIdentified: true, pointOfOffer: "CARE_OR_RECOVERY_PLANNING", offerOutcome: "ACCEPTED",
          trainedOn: "2026-08-10", trainerType: "NALOXONE_LEAD", kitIssued: true, kitHeldIn: "PROPERTY", releaseDate: "2026-09-15", releaseType: "RELEASED", releasedWithKit: true,
        },
      },
      await app.token("PRISON-5", Role.PRISON_NALOXONE_LEAD),
    );
    expect(rel.errors).toBeUndefined();
    const [{ personId: linked }] = await app.ds.query(`SELECT "personId" FROM prison_release WHERE id = $1`, [rel.data!.recordPrisonRelease.id]);
    expect(linked).toBe(personId);

    // The recording force sees the person's name (its own record) but not the kit.
    const police = await app.token("DUR", Role.OFFICER, { sub: "pc-thn" });
    const p1 = await app.gql(Q, { p: personId }, police);
    expect(p1.data!.person).toEqual({ givenName: "Kitty", takeHomeNaloxone: null });
    expect(p1.errors!.map((e) => [e.path!.join("."), e.extensions.code])).toEqual([["person.takeHomeNaloxone", "CONSENT_REQUIRED"]]);
    const [denied] = await app.ds.query(`SELECT action, fields FROM audit_event WHERE "actorSub" = 'pc-thn' AND action = 'PERSON_READ_DENIED'`);
    expect(denied.fields).toEqual(["takeHomeNaloxone"]);

    // A treatment service with consent sees it; so does the force once a consent names it that
    // someone else recorded (a consent the force records naming itself is no basis: self-basis.test.ts).
    const consent = (codes: string[], by: string) =>
      app.gql(`mutation($p: ID!, $i: ConsentInput!) { recordConsent(personId: $p, input: $i) { id } }`, { p: personId, i: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: codes, method: "WRITTEN" } }, by);
    await consent(["TS-DURHAM"], police);
    const treatment = await app.token("TS-DURHAM", Role.TREATMENT_WORKER);
    const tw = await app.gql(Q, { p: personId }, treatment);
    expect(tw.data!.person.takeHomeNaloxone).toEqual({ releasedWithKit: true, releaseDate: "2026-09-15" });
    expect((await app.gql(Q, { p: personId }, police)).data!.person.takeHomeNaloxone).toBeNull();
    await consent(["DUR"], treatment);
    expect((await app.gql(Q, { p: personId }, police)).data!.person.takeHomeNaloxone).toEqual({ releasedWithKit: true, releaseDate: "2026-09-15" });
  });
});
