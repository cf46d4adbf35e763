import { generateKeyPairSync } from "node:crypto";
import request from "supertest";
import { createTestApp, type TestApp } from "../helpers/app";

// In development GET /graphql is the hub's own page: nothing from a CDN or Google Fonts, so it
// works on a closed network. Production serves no page.

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ demo: false });
});
afterAll(() => app.close());

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

it("serves an offline page whose every file comes from the hub", async () => {
  const page = await request(app.hub.app).get("/graphql").set("accept", BROWSER);
  expect(page.status).toBe(200);
  expect(page.headers["content-type"]).toMatch(/^text\/html/);
  expect(page.text).not.toMatch(/https?:\/\//);
  expect(page.text).not.toMatch(/cdn|fonts\.g|sandbox|embeddable/i);
  const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  expect(assets.filter((a) => a !== "data:,").sort()).toEqual(["/graphql/explorer.css", "/graphql/explorer.js", "/graphql/schema.graphql"]);
  for (const a of assets.filter((x) => x !== "data:,")) {
    const r = await request(app.hub.app).get(a);
    expect(r.status).toBe(200);
    if (!a.endsWith(".graphql")) expect(r.text).not.toMatch(/https?:\/\//); // the SDL is text, not a loaded resource
  }
  expect((await request(app.hub.app).get("/graphql/schema.graphql")).text).toContain("type Query");
  // The page runs under the hub's Content-Security-Policy: scripts only from itself.
  expect(page.headers["content-security-policy"]).toMatch(/script-src 'self'/);
});

it("leaves API clients' GET and POST requests to GraphQL", async () => {
  const get = await request(app.hub.app).get("/graphql").query({ query: "{ __typename }" }).set("accept", "application/json").set("apollo-require-preflight", "true");
  expect(get.status).toBe(200);
  expect(get.body).toEqual({ data: { __typename: "Query" } });
  const bare = await request(app.hub.app).get("/graphql").set("accept", "*/*");
  expect(bare.headers["content-type"]).not.toMatch(/^text\/html/);
});

it("is not served in production", async () => {
  const prod = await createTestApp({ demo: false, env: { NODE_ENV: "production", JWT_SECRET: "p".repeat(40), IDENTITY_KEY_SECRET: "q".repeat(40), AUDIT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() } });
  try {
    const page = await request(prod.hub.app).get("/graphql").set("accept", BROWSER);
    expect(page.headers["content-type"] ?? "").not.toMatch(/^text\/html/);
    expect((await request(prod.hub.app).get("/graphql/explorer.js")).status).not.toBe(200);
  } finally {
    await prod.close();
  }
});
