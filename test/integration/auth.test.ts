import request from "supertest";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const Q = "{ agencies { code } }";

describe("authentication", () => {
  it("lets a HUB ADMIN list the agencies", async () => {
    const r = await app.gql(Q, {}, await app.token("HUB", Role.ADMIN));
    expect(r.errors).toBeUndefined();
    expect(r.data!.agencies.map((a: { code: string }) => a.code)).toEqual(expect.arrayContaining(["HUB", "DUR", "SWP", "CLE", "ASC", "LAN", "NYP", "NFK"]));
  });

  it("answers UNAUTHENTICATED without a token", async () => {
    const r = await app.gql(Q);
    expect(r.errors![0].extensions.code).toBe("UNAUTHENTICATED");
    expect(r.data).toBeNull();
  });

  it.each([
    ["a malformed header", "Token abc"],
    ["garbage", "Bearer not.a.jwt"],
  ])("answers 401 UNAUTHENTICATED for %s", async (_n, header) => {
    const res = await request(app.hub.app).post("/graphql").set("authorization", header).send({ query: Q });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(res.body.errors[0].message).not.toMatch(/Context creation failed/);
  });

  it("refuses a token for an agency that does not exist", async () => {
    const r = await app.gql(Q, {}, await app.token("NOPE", Role.ANALYST));
    expect(r.status).toBe(401);
    expect(r.errors![0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a role that does not fit the agency's kind", async () => {
    const r = await app.gql(Q, {}, await app.token("DUR", Role.ADMIN));
    expect(r.errors![0].extensions.code).toBe("UNAUTHENTICATED");
    expect(r.errors![0].message).toMatch(/ADMIN is not allowed for an agency of kind POLICE_FORCE/);
  });

  it("refuses tokens of an inactive agency", async () => {
    const token = await app.token("NFK", Role.OFFICER);
    await app.ds.query(`UPDATE agency SET active = false WHERE code = 'NFK'`);
    try {
      const r = await app.gql("{ __typename }", {}, token);
      expect(r.errors![0].extensions.code).toBe("UNAUTHENTICATED");
    } finally {
      await app.ds.query(`UPDATE agency SET active = true WHERE code = 'NFK'`);
    }
  });

  it("refuses an expired token", async () => {
    const r = await app.gql(Q, {}, await app.token("HUB", Role.ADMIN, { ttlSeconds: -10 }));
    expect(r.errors![0].extensions.code).toBe("UNAUTHENTICATED");
    expect(r.errors![0].message).toMatch(/expired/);
  });

  it("answers FORBIDDEN when the role may not use the operation", async () => {
    const r = await app.gql(Q, {}, await app.token("DUR", Role.OFFICER));
    expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
    expect(r.data).toBeNull();
  });
});

describe("health", () => {
  it("answers /healthz and /readyz while the database answers", async () => {
    await request(app.hub.app).get("/healthz").expect(200);
    await request(app.hub.app).get("/readyz").expect(200);
  });
});
