import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { HANDOVER, RECORD, validForm } from "../helpers/forms";

const lines: string[] = [];
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ logLines: lines, env: { LOG_LEVEL: "debug" } });
});
afterAll(() => app.close());

const PEOPLE = [
  { givenName: "Quillon", familyName: "Zebrowskitest", dateOfBirth: "1979-11-23" },
  { givenName: "Ysolde", familyName: "Farquharsontest", dateOfBirth: "1988-02-14" },
];

describe("logs never carry personal data", () => {
  it("a full scenario, with failures on the way, logs requests but no name or date of birth", async () => {
    const officer = await app.token("CLE", Role.OFFICER, { collarNumber: "C123" });
    const tw = await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER);
    for (const person of PEOPLE) {
      const r = await app.gql(RECORD, { input: validForm({ areaCode: "CLE-STOCKTON", person, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }) }, officer);
      expect(r.errors).toBeUndefined();
      const inc = r.data!.recordNaloxoneAdministration;
      await app.gql(HANDOVER, { input: { incidentId: inc.id, idempotencyKey: `log-${inc.id}`, handedOverAt: new Date().toISOString(), circumstances: `Found near ${person.familyName}'s flat` } }, await app.token("NEAS", Role.PARAMEDIC));
      // Failures that carry the person's details in the request.
      await app.gql(RECORD, { input: validForm({ areaCode: "SWP-CARDIFF", person }) }, officer);
      await app.gql(RECORD, { input: { ...validForm({ person }), dosesAdministered: person.givenName } }, officer);
      await app.gql(`query { incident(id: "${person.givenName}") { id } }`, {}, officer);
      await app.gql(`mutation($e: [CaseloadEntryInput!]!) { registerCaseload(entries: $e) { entries } }`, { e: [person] }, tw);
    }
    const inbox = await app.gql(`{ referrals(first: 10) { edges { node { id person { givenName familyName dateOfBirth } } } } }`, {}, tw);
    expect(JSON.stringify(inbox.body)).toContain("Quillon");

    const log = lines.join("\n");
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('"msg":"graphql"');
    for (const p of PEOPLE) {
      for (const value of [p.givenName, p.familyName, p.dateOfBirth]) expect(log).not.toContain(value);
    }
  });
});
