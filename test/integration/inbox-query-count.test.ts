import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// The referral inbox batches its relations (incident, person, consent facts, events) per request:
// the number of SQL statements must not grow with the page size. Counted, never timed.

let app: TestApp;
const statements: string[] = [];
let counting = false;
let worker: string;

const letters = (n: number) => "abcdefghijklmnopqrstuvwxyz"[n % 26] + "abcdefghijklmnopqrstuvwxyz"[Math.floor(n / 26) % 26];

beforeAll(async () => {
  app = await createTestApp({ onQuery: (sql) => counting && statements.push(sql) });
  const officer = await app.token("CLE", Role.OFFICER, { collarNumber: "31" });
  worker = await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-count" });
  // 55 people recorded with consent to treatment referral: each routes one referral to TS-TEESSIDE.
  for (let k = 0; k < 55; k++) {
    const person = { givenName: "Counted", familyName: `Inboxperson${letters(k)}`, dateOfBirth: "1985-05-05", gender: "FEMALE" };
    const consent = { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" };
    const r = await app.gql(RECORD, { input: validForm({ areaCode: k % 2 ? "CLE-MIDDLESBROUGH" : "CLE-STOCKTON", person, consent }) }, officer);
    expect(r.errors).toBeUndefined();
  }
  // Some referrals move on, so pages mix referrals with one and with several events.
  const page = await app.gql(`{ referrals(first: 20) { edges { node { id } } } }`, {}, worker);
  for (const [i, e] of page.data!.referrals.edges.entries()) {
    if (i % 3 === 0) expect((await app.gql(`mutation($id: ID!) { acceptReferral(id: $id) { id } }`, { id: e.node.id }, worker)).errors).toBeUndefined();
  }
}, 120_000);
afterAll(() => app.close());

const INBOX = `query($first: Int!) { referrals(first: $first) { edges { node {
  id pathway status dueAt overdue createdAt fromAgency { code }
  incident { id occurredAt areaCode outcome substances }
  person { givenName familyName dateOfBirth }
  events { type at actorSub note }
} } pageInfo { hasNextPage endCursor } } }`;

async function statementsFor(first: number): Promise<number> {
  statements.length = 0;
  counting = true;
  const r = await app.gql(INBOX, { first }, worker);
  counting = false;
  expect(r.errors).toBeUndefined();
  const edges = r.data!.referrals.edges;
  expect(edges).toHaveLength(first);
  // Names resolve under the consent, and every referral carries its events.
  for (const e of edges) {
    expect(e.node.person.givenName).toBe("Counted");
    expect(e.node.events.length).toBeGreaterThanOrEqual(1);
  }
  return statements.length;
}

describe("referral inbox batching", () => {
  it("runs the same number of SQL statements for a page of 5 and a page of 50", async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(15);
  });
});
