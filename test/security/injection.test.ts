import { Role } from "../../src/core/auth/roles";
import request from "supertest";
import { createTestApp, type TestApp } from "../helpers/app";
import { ACTOR_FOR, auditChainIntact, fixtureFor, makeFixture, snapshot, storedVerbatim, VALID, type Fixture } from "./fixtures";
import { INJECTIONS } from "./injections";
import { setAt, stringPaths } from "./schema-paths";

/**
 * Injection strings in every free-text (String) input of every mutation, derived from the schema:
 * each is stored verbatim (the exact value is found in the database) or refused with BAD_USER_INPUT
 * (or NOT_FOUND where the field names another record by code), never executed: the tables and the
 * audit chain are intact afterwards.
 */
let app: TestApp;
let shared: Fixture;
beforeAll(async () => {
  app = await createTestApp();
  shared = await makeFixture(app);
});
afterAll(() => app?.close());

/** Inputs kept only as keyed hashes: a value must never be found in clear. */
const HASHED = new Set(["registerCaseload.entries.0.givenName", "registerCaseload.entries.0.familyName", "registerCaseload.entries.0.dateOfBirth"]);
/** Inputs kept inside a composed value, exactly as submitted. */
const COMPOSED: Record<string, (v: string) => string> = {
  "recordContactAttempt.input.note": (v) => `PHONE: NO_ANSWER — ${v}`, // the referral event's note: method, outcome, then the note
};
/** Inputs that name another record by its code: an unknown code is NOT_FOUND. */
const REFERENCES = /(AgencyCode|areaCode|toAgencyCode|targetAgencyCode)/;

let cases = 0;
const tag = (n: number) => `Tag${n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)))}`;

describe("injection strings in every free-text input", () => {
  it("are stored verbatim or refused with BAD_USER_INPUT, never executed", async () => {
    const tablesBefore = Object.keys(await snapshot(app)).sort();
    const outcomes: string[] = [];
    const mutations = Object.values(app.hub.schema.getMutationType()!.getFields());
    let checkedFields = 0;
    for (const m of mutations) {
      const valid = VALID[m.name];
      expect(valid).toBeDefined(); // a new mutation needs a valid call in fixtures.ts to be tested here
      const actor = ACTOR_FOR[m.name];
      const token = await app.token(actor.agency, actor.role, { sub: "inject-test", collarNumber: "4711" });
      const defs = m.args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
      const query = `mutation Inject(${defs}) { ${m.name}(${m.args.map((a) => `${a.name}: $${a.name}`).join(", ")}) { __typename } }`;
      for (const { path } of stringPaths(m)) {
        checkedFields++;
        const field = `${m.name}.${path.join(".")}`;
        let fx: Fixture | null = null;
        for (const inj of INJECTIONS) {
          // A refused call leaves the records as they were; only a stored one needs fresh records next.
          fx ??= await fixtureFor(app, m.name, shared);
          // A tag unique to this case, so a value stored by an earlier case cannot stand in for this one.
          const value = `${inj.value} ${tag(++cases)}`;
          const variables = setAt(valid(fx), path, value);
          const before = await snapshot(app);
          const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${token}`).send({ query, variables });
          const codes: string[] = (res.body?.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);
          expect([field, inj.kind, res.status]).not.toEqual([field, inj.kind, 500]);
          if (res.body?.data?.[m.name]) {
            fx = null;
            const found = await storedVerbatim(app, (COMPOSED[field] ?? String)(value));
            outcomes.push(`${field} ${inj.kind}: stored`);
            expect({ field, kind: inj.kind, found }).toEqual({ field, kind: inj.kind, found: !HASHED.has(field) });
          } else {
            outcomes.push(`${field} ${inj.kind}: ${codes.join(",")}`);
            const allowed = REFERENCES.test(String(path.at(-1) === 0 ? path.at(-2) : path.at(-1))) ? ["BAD_USER_INPUT", "NOT_FOUND"] : ["BAD_USER_INPUT"];
            expect({ field, kind: inj.kind, codes: codes.filter((c) => !allowed.includes(c)) }).toEqual({ field, kind: inj.kind, codes: [] });
            expect(codes.length).toBeGreaterThan(0);
            expect(await snapshot(app)).toEqual(before);
          }
        }
      }
    }
    if (process.env.INJECTION_REPORT) console.log(outcomes.join("\n"));
    expect(checkedFields).toBeGreaterThanOrEqual(25);
    // Never executed: every table is still there, nothing was emptied, and the audit chain is whole.
    const after = await snapshot(app);
    expect(Object.keys(after).sort()).toEqual(tablesBefore);
    for (const t of ["incident", "person", "audit_event", "agency", "consent", "referral"]) expect(after[t]).toBeGreaterThan(0);
    expect(await auditChainIntact(app)).toBe(true);
    expect(outcomes.filter((o) => o.endsWith("stored")).length).toBeGreaterThan(20);
  }, 120_000);
});

describe("text PostgreSQL cannot store exactly", () => {
  it("is refused with 400 BAD_USER_INPUT naming the field, in variables and in the document itself", async () => {
    const admin = await app.token("HUB", Role.ADMIN);
    const before = await snapshot(app);
    const inVars = await request(app.hub.app)
      .post("/graphql")
      .set("content-type", "application/json")
      .set("authorization", `Bearer ${admin}`)
      .send({ query: `mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id } }`, variables: { i: { code: "NUL-TEST", name: "Nul\u0000Service", kind: "MASH", areaCodes: [] } } });
    expect(inVars.status).toBe(400);
    expect(inVars.body.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", problems: [{ field: "i.name", rule: expect.stringMatching(/NUL/) }] });
    const inDoc = await request(app.hub.app)
      .post("/graphql")
      .set("content-type", "application/json")
      .set("authorization", `Bearer ${admin}`)
      .send({ query: `mutation { createAgency(input: { code: "NUL-TEST", name: "Nul\\u0000Service", kind: MASH, areaCodes: [] }) { id } }` });
    expect(inDoc.status).toBe(400);
    expect(inDoc.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const surrogate = await request(app.hub.app)
      .post("/graphql")
      .set("content-type", "application/json")
      .set("authorization", `Bearer ${admin}`)
      .send(`{"query":"mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id } }","variables":{"i":{"code":"NUL-TEST","name":"Half \\ud83d emoji","kind":"MASH","areaCodes":[]}}}`);
    expect(surrogate.status).toBe(400);
    expect(await snapshot(app)).toEqual(before);
  });
});
