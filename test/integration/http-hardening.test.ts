import request from "supertest";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { RATE_LIMIT_USER_PER_MINUTE: "5", RATE_LIMIT_AGENCY_PER_MINUTE: "8" } });
});
afterAll(() => app.close());

describe("HTTP hardening", () => {
  it("answers malformed JSON with 400 and a GraphQL error, never an HTML page or a stack", async () => {
    const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").send('{"query": ');
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    expect(res.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(res.text).not.toMatch(/<html|at .*\.js:\d+/i);
  });

  it("answers bodies over 1 MB with 413", async () => {
    const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").send(JSON.stringify({ query: `{ __typename }`, pad: "x".repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toMatch(/larger than 1 MB/);
  });

  it("refuses mutations over GET, batched requests and simple-request CSRF", async () => {
    const token = await app.token("HUB", Role.ADMIN);
    const get = await request(app.hub.app).get("/graphql").query({ query: `mutation { createAgency(input: { code: "GETX", name: "Get", kind: MASH, areaCodes: [] }) { id } }` }).set("authorization", `Bearer ${token}`).set("apollo-require-preflight", "1");
    expect(get.status).toBe(405);
    const batch = await request(app.hub.app).post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${token}`).send([{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    expect(batch.status).toBe(400);
    const csrf = await request(app.hub.app).get("/graphql").query({ query: "{ __typename }" });
    expect(csrf.status).toBe(400);
    const form = await request(app.hub.app).post("/graphql").set("content-type", "application/x-www-form-urlencoded").send("query=%7B__typename%7D");
    expect([400, 415]).toContain(form.status);
    expect((await app.ds.query(`SELECT count(*)::int AS n FROM agency WHERE code = 'GETX'`))[0].n).toBe(0);
  });

  it("sends no-store and the standard security headers", async () => {
    const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").send({ query: "{ __typename }" });
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["strict-transport-security"]).toBeDefined();
    expect(res.headers["x-frame-options"]).toBeDefined();
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("limits requests per user with RATE_LIMITED and a retry hint, without affecting other users' counts", async () => {
    const token = await app.token("CLE", Role.OFFICER, { sub: "busy-officer" });
    const statuses: number[] = [];
    let limited: request.Response | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${token}`).send({ query: "{ __typename }" });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(limited).not.toBeNull();
    expect(limited!.headers["retry-after"]).toBe("60");
    expect(limited!.body.errors[0].extensions).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: 60 });
    const other = await request(app.hub.app).post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${await app.token("DUR", Role.OFFICER)}`).send({ query: "{ __typename }" });
    expect(other.status).toBe(200);
  });

  it("limits requests per agency across its users", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const token = await app.token("NYP", Role.OFFICER, { sub: `nyp-officer-${i}` });
      const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${token}`).send({ query: "{ __typename }" });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.slice(8)).toEqual([429, 429]);
  });
});
