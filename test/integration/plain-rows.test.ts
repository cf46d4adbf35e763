import { Role } from "../../src/core/auth/roles";
import { loadPlain, plainMany } from "../../src/core/plain-rows";
import { Incident } from "../../src/modules/incidents/incident.entity";
import { Person } from "../../src/modules/people/person.entity";
import { Referral, ReferralEvent } from "../../src/modules/referrals/referral.entity";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// The inbox's hand-written reads give exactly the entities TypeORM's repository gives (same class,
// same values and types, embedded columns nested), for every column type they hold.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  const officer = await app.token("CLE", Role.OFFICER, { collarNumber: "4242" });
  for (const consent of [undefined, { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" }]) {
    const r = await app.gql(RECORD, { input: validForm({ areaCode: "CLE-MIDDLESBROUGH", consent, location: null, person: { givenName: "Plainy", familyName: "Rowperson", dateOfBirth: "1979-12-31", gender: "FEMALE" } }) }, officer);
    expect(r.errors).toBeUndefined();
  }
  await app.gql(RECORD, { input: validForm({ areaCode: "CLE-MIDDLESBROUGH", person: null }) }, officer);
});
afterAll(() => app.close());

describe("plain rows", () => {
  it.each([
    ["Incident", Incident],
    ["Person", Person],
    ["Referral", Referral],
    ["ReferralEvent", ReferralEvent],
  ] as const)("%s: loadPlain and plainMany equal the repository's entities", async (_n, entity) => {
    const repo = app.ds.getRepository(entity as any);
    const expected = await repo.createQueryBuilder("x").orderBy("x.id").getMany();
    expect(expected.length).toBeGreaterThan(0);
    const plain = await loadPlain(app.ds, entity as any, "TRUE", [], { orderBy: "t.id" });
    const viaQb = await plainMany(repo.createQueryBuilder("x").orderBy("x.id"));
    for (const got of [plain, viaQb]) {
      expect(got).toEqual(expected);
      for (let i = 0; i < got.length; i++) expect(Object.getPrototypeOf(got[i])).toBe(Object.getPrototypeOf(expected[i]));
    }
  });

  it("runs inside the caller's transaction", async () => {
    await app.ds.transaction(async (m) => {
      const [{ id }] = await m.query(`INSERT INTO person ("createdByAgencyId") SELECT id FROM agency WHERE code = 'DUR' RETURNING id`);
      expect((await loadPlain(m, Person, "t.id = $1", [id])).length).toBe(1);
      expect((await loadPlain(app.ds, Person, "t.id = $1", [id])).length).toBe(0);
      throw Object.assign(new Error("roll back"), { rollback: true });
    }).catch((e) => expect(e.rollback).toBe(true));
  });
});
