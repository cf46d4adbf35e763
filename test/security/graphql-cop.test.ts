import type { AddressInfo } from "node:net";
import { generateKeyPairSync } from "node:crypto";
import request from "supertest";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";
import { COP_EXCLUDED_FIELD_DUPLICATION, COP_PROBES, isGraphql } from "./graphql-cop-probes";

// graphql-cop's checks (dolevf/graphql-cop), written as tests against the real hub: a development
// hub (introspection and suggestions on) and a production one (NODE_ENV=production, real secrets).
let dev: TestApp;
let prod: TestApp;
beforeAll(async () => {
  [dev, prod] = await Promise.all([
    createTestApp({ demo: false }),
    createTestApp({
      env: {
        NODE_ENV: "production",
        LOG_LEVEL: "silent",
        JWT_SECRET: "prod-test-jwt-secret-0123456789abcdefghijkl",
        IDENTITY_KEY_SECRET: "prod-test-identity-key-0123456789abcdefghij",
        AUDIT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      },
    }),
  ]);
});
afterAll(() => Promise.all([dev?.close(), prod?.close()]));

const listen = async (app: TestApp): Promise<string> => {
  if (!app.hub.httpServer.listening) await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", () => resolve()));
  return `http://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}/graphql`;
};

describe("graphql-cop 1.15's own probes, as the tool sends them", () => {
  /** What a development hub shows on purpose: introspection and field suggestions (off in production). */
  const DEV_BY_DESIGN = ["introspection", "circular_query_introspection", "field_suggestions"];

  it("a production hub gives the tool no finding at all", async () => {
    const url = await listen(prod);
    expect(await isGraphql(url)).toBe(true); // the tool would scan it
    const findings: string[] = [];
    for (const p of COP_PROBES) if (await p.probe(url)) findings.push(`${p.severity} ${p.title}`);
    expect(findings).toEqual([]);
    expect(COP_PROBES.map((p) => p.name).sort()).toHaveLength(12);
  });

  it("a development hub gives no finding beyond introspection and field suggestions", async () => {
    const url = await listen(dev);
    const findings: string[] = [];
    for (const p of COP_PROBES) if (await p.probe(url)) findings.push(p.name);
    expect(findings.filter((f) => !DEV_BY_DESIGN.includes(f))).toEqual([]);
    expect(findings).toContain("introspection"); // the probes do detect what is there
  });

  it("directive overloading: the tool's ten @aa get one error per distinct problem, not one per directive", async () => {
    for (const app of [dev, prod]) {
      const res = await post(app, { query: "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }", operationName: "cop" });
      expectCleanRefusal(res, ["BAD_USER_INPUT", "QUERY_TOO_COMPLEX"]);
      expect(res.body.errors.length).toBeLessThan(10);
      expect(new Set(res.body.errors.map((e: { message: string }) => e.message)).size).toBe(res.body.errors.length);
    }
  });

  it("field duplication (left out of the tool's table upstream): 500 repeated fields are merged into one, and 3,000 are refused below", async () => {
    const url = await listen(dev);
    // graphql-js merges repeated fields into one resolution, so the tool dropped this probe (its issue #43).
    expect(await COP_EXCLUDED_FIELD_DUPLICATION.probe(url)).toBe(true);
  });
});

const post = (app: TestApp, body: unknown, token?: string) => {
  let req = request(app.hub.app).post("/graphql").set("content-type", "application/json");
  if (token) req = req.set("authorization", `Bearer ${token}`);
  return req.send(body as object);
};

type Res = request.Response;
const codes = (res: Res): string[] => (res.body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);

/** A refusal the client can act on: a 4xx with contract codes only, never a 500, never a stack. */
function expectCleanRefusal(res: Res, allowed: string[]) {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers["content-type"]).toMatch(/json/);
  expect(codes(res).length).toBeGreaterThan(0);
  for (const c of codes(res)) expect(allowed).toContain(c);
  expect(res.body.data ?? null).toBeNull();
  expect(res.text).not.toMatch(/stacktrace|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|\.js:\d+/);
}

describe("graphql-cop checks", () => {
  it("alias overloading: 101 aliases are refused with QUERY_TOO_COMPLEX (limit 15)", async () => {
    const q = `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    const res = await post(dev, { query: q });
    expectCleanRefusal(res, ["QUERY_TOO_COMPLEX"]);
    const ok = await post(dev, { query: `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: __typename`).join(" ")} }` });
    expect(ok.status).toBe(200);
    expect(ok.body.data.a14).toBe("Query");
  });

  it("batching: an array of operations is refused with 400 and runs none of them", async () => {
    const token = await prod.token("HUB", Role.ADMIN);
    const batch = Array.from({ length: 10 }, (_, i) => ({ query: `mutation { createAgency(input: { code: "BATCH${i}", name: "Batch Test", kind: MASH, areaCodes: [] }) { id } }` }));
    const res = await post(prod, batch, token);
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/stacktrace|node_modules/);
    expect((await prod.ds.query(`SELECT count(*)::int AS n FROM agency WHERE code LIKE 'BATCH%'`))[0].n).toBe(0);
  });

  it("directive overloading: 50 repeated directives are refused with QUERY_TOO_COMPLEX (limit 20)", async () => {
    const res = await post(dev, { query: `query { __typename ${"@aa".repeat(50)} }` });
    expectCleanRefusal(res, ["QUERY_TOO_COMPLEX", "BAD_USER_INPUT"]);
    expect(codes(res)).toContain("QUERY_TOO_COMPLEX");
  });

  it("field duplication: 3,000 repeated fields exceed the token limit: QUERY_TOO_COMPLEX, not a 500", async () => {
    const res = await post(dev, { query: `{ ${"__typename ".repeat(3000)}}` });
    expectCleanRefusal(res, ["QUERY_TOO_COMPLEX"]);
    expect(res.body.errors[0].message).toMatch(/2000 tokens/);
  });

  it("introspection is allowed in development and refused in production", async () => {
    const q = `{ __schema { queryType { name } mutationType { fields { name } } } }`;
    const d = await post(dev, { query: q });
    expect(d.status).toBe(200);
    expect(d.body.data.__schema.mutationType.fields.length).toBeGreaterThan(5);
    for (const query of [q, `{ __type(name: "Mutation") { fields { name } } }`]) {
      const p = await post(prod, { query });
      expectCleanRefusal(p, ["BAD_USER_INPUT"]);
      expect(p.text).not.toMatch(/recordNaloxoneAdministration/);
    }
  });

  it("field suggestions: development suggests, production never names a field", async () => {
    const token = await prod.token("DUR", Role.OFFICER);
    const d = await post(dev, { query: `{ incidnts { edges { node { id } } } }` });
    expect(d.body.errors[0].message).toMatch(/Did you mean/);
    for (const query of [`{ incidnts { edges { node { id } } } }`, `{ incidents { edges { node { persn { id } } } } }`, `mutation { recordNaloxoneAdministratio { id } }`]) {
      const p = await post(prod, { query }, token);
      expectCleanRefusal(p, ["BAD_USER_INPUT"]);
      expect(p.text).not.toMatch(/Did you mean|incidents"|person"|recordNaloxoneAdministration"/);
    }
  });

  it("CSRF: a GET without a preflight header, and simple-request POSTs (form, multipart, text/plain), run nothing", async () => {
    const token = await prod.token("HUB", Role.ADMIN);
    const mutation = `mutation { createAgency(input: { code: "CSRF1", name: "Csrf Test", kind: MASH, areaCodes: [] }) { id } }`;
    const get = await request(prod.hub.app).get("/graphql").query({ query: "{ __typename }" }).set("authorization", `Bearer ${token}`);
    expect(get.status).toBe(400);
    expect(get.text).toMatch(/CSRF|preflight/i);
    const form = await request(prod.hub.app).post("/graphql").set("authorization", `Bearer ${token}`).type("form").send({ query: mutation });
    expect([400, 415]).toContain(form.status);
    const multipart = await request(prod.hub.app).post("/graphql").set("authorization", `Bearer ${token}`).field("query", mutation);
    expect([400, 415]).toContain(multipart.status);
    const text = await request(prod.hub.app).post("/graphql").set("authorization", `Bearer ${token}`).set("content-type", "text/plain").send(JSON.stringify({ query: mutation }));
    expect([400, 415]).toContain(text.status);
    for (const r of [get, form, multipart, text]) expect(r.text).not.toMatch(/stacktrace|node_modules|<html/i);
    expect((await prod.ds.query(`SELECT count(*)::int AS n FROM agency WHERE code = 'CSRF1'`))[0].n).toBe(0);
  });

  it("mutation by GET is refused with 405 even with a preflight header, and writes nothing", async () => {
    const token = await prod.token("HUB", Role.ADMIN);
    const res = await request(prod.hub.app)
      .get("/graphql")
      .query({ query: `mutation { createAgency(input: { code: "GETMUT", name: "Get Test", kind: MASH, areaCodes: [] }) { id } }` })
      .set("authorization", `Bearer ${token}`)
      .set("apollo-require-preflight", "1");
    expect(res.status).toBe(405);
    expect((await prod.ds.query(`SELECT count(*)::int AS n FROM agency WHERE code = 'GETMUT'`))[0].n).toBe(0);
  });

  it("trace mode: no tracing or stack traces in any response, even when the client asks", async () => {
    const res = await post(prod, { query: "{ __typename }", extensions: { tracing: true } });
    expect(res.status).toBe(200);
    expect(res.body.extensions).toBeUndefined();
    const broken = await post(prod, { query: "{ __typename(" });
    expectCleanRefusal(broken, ["BAD_USER_INPUT"]);
    expect(broken.body.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT" });
  });

  it("an unexpected server error leaves as INTERNAL_SERVER_ERROR with a requestId: no stack, no driver message, nothing written", async () => {
    const officer = await prod.token("DUR", Role.OFFICER, { collarNumber: "1234" });
    await prod.ds.query(`CREATE FUNCTION test_audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable (secret detail)'; END $$`);
    await prod.ds.query(`CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION test_audit_down()`);
    try {
      const res = await post(prod, { query: RECORD, variables: { input: validForm() } }, officer);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].message).toBe("Internal server error");
      expect(Object.keys(res.body.errors[0].extensions).sort()).toEqual(["code", "requestId"]);
      expect(res.body.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
      expect(res.text).not.toMatch(/secret detail|audit_event|stacktrace|node_modules|\.js:\d+|Testy|McFakeperson/);
      expect((await prod.ds.query(`SELECT count(*)::int AS n FROM incident`))[0].n).toBe(0);
    } finally {
      await prod.ds.query(`DROP TRIGGER test_audit_down ON audit_event`);
      await prod.ds.query(`DROP FUNCTION test_audit_down()`);
    }
  });
});

describe("nesting and token limits", () => {
  it("a document nested 12 deep is refused with QUERY_TOO_COMPLEX (limit 10)", async () => {
    const token = await prod.token("DUR", Role.OFFICER);
    // Real fields as deep as the schema goes, then deeper through unknown ones.
    const deep = `{ incidents { edges { node { handovers { ambulanceService { ${"x { ".repeat(7)}id${" }".repeat(7)} } } } } } }`;
    const res = await post(prod, { query: deep }, token);
    expectCleanRefusal(res, ["QUERY_TOO_COMPLEX", "BAD_USER_INPUT"]);
    expect(codes(res)).toContain("QUERY_TOO_COMPLEX");
  });

  it("a document of 10,000 nested braces or list brackets is refused with 400 while parsing, never a 500", async () => {
    for (const query of [`{ ${"a { ".repeat(5000)}b${" }".repeat(5000)} }`, `{ __typename(x: ${"[".repeat(10000)}${"]".repeat(10000)}) }`]) {
      const res = await post(dev, { query });
      // Under jest's deeper stack frames the bracket case can overflow the parser's recursion before the
      // token count stops it; that too is caught in parsing and answered 400 BAD_USER_INPUT.
      expectCleanRefusal(res, ["QUERY_TOO_COMPLEX", "BAD_USER_INPUT"]);
      expect(res.status).toBe(400);
    }
  });

  it("variables nested 2,000 deep answer BAD_USER_INPUT, not a 500 or a stack overflow", async () => {
    const token = await prod.token("DUR", Role.OFFICER);
    let junk: unknown = "x";
    for (let i = 0; i < 2000; i++) junk = { a: [junk] };
    const res = await post(prod, { query: RECORD, variables: { input: junk } }, token);
    expectCleanRefusal(res, ["BAD_USER_INPUT"]);
  });

  it("a syntax error names no submitted value", async () => {
    const res = await post(prod, { query: `{ incidents(filter: { areaCode: "Testy McFakeperson" } "Second Fakename") { edges { node { id } } } }` });
    expectCleanRefusal(res, ["BAD_USER_INPUT"]);
    expect(res.text).not.toMatch(/Testy|McFakeperson|Fakename/);
  });

  it("the cost limit refuses a query too expensive to run: QUERY_TOO_COMPLEX", async () => {
    const token = await prod.token("DUR", Role.OFFICER);
    const q = `{ ${Array.from({ length: 10 }, (_, i) => `p${i}: incidents(first: 100) { edges { node { id person { id givenName familyName } handovers { id ambulanceService { code name } } recordingAgency { code name } } } }`).join(" ")} }`;
    const res = await post(prod, { query: q }, token);
    expectCleanRefusal(res, ["QUERY_TOO_COMPLEX"]);
  });
});
