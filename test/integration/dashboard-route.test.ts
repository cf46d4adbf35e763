import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import express from "express";
import helmet from "helmet";
import request from "supertest";
import { dashboardCsp, dashboardRouter } from "../../src/dashboard/route";

// The /dashboard route on its own: static files from a directory, a self-only CSP, and a plain
// answer when the dashboard has not been built. The browser test covers the page itself.

let built: string;
let empty: string;
const appFor = (dir: string) => {
  const app = express();
  app.use(helmet()); // as in server.ts: the route must replace helmet's default policy
  app.use("/dashboard", dashboardRouter(dir));
  app.get("/other", (_req, res) => void res.send("x"));
  return app;
};

beforeAll(() => {
  built = mkdtempSync(path.join(os.tmpdir(), "nh-dash-"));
  empty = mkdtempSync(path.join(os.tmpdir(), "nh-dash-empty-"));
  mkdirSync(built, { recursive: true });
  writeFileSync(path.join(built, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(path.join(built, "app.js"), "void 0;");
});
afterAll(() => {
  rmSync(built, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe("/dashboard", () => {
  it("redirects to the trailing slash and serves the page and its assets with a self-only CSP", async () => {
    const app = appFor(built);
    const r = await request(app).get("/dashboard");
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe("/dashboard/");
    const page = await request(app).get("/dashboard/").set("host", "hub.example:4000");
    expect(page.status).toBe(200);
    expect(page.text).toContain("<title>t</title>");
    const csp = page.headers["content-security-policy"];
    expect(csp).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self' ws://hub.example:4000 wss://hub.example:4000; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect((await request(app).get("/dashboard/app.js")).status).toBe(200);
    expect((await request(app).get("/dashboard/nothing.js")).status).toBe(404);
    // Other routes keep helmet's default policy.
    expect((await request(app).get("/other")).headers["content-security-policy"]).toContain("default-src 'self'");
  });

  it("never echoes a strange Host header into the policy", () => {
    expect(dashboardCsp({ headers: { host: "evil.example; script-src *" } })).toContain("connect-src 'self';");
    expect(dashboardCsp({ headers: {} })).toContain("connect-src 'self';");
    expect(dashboardCsp({ headers: { host: "[::1]:4000" } })).toContain("ws://[::1]:4000");
  });

  it("says how to build it when dist/dashboard is missing", async () => {
    const r = await request(appFor(empty)).get("/dashboard/");
    expect(r.status).toBe(503);
    expect(r.text).toContain("npm run build");
  });
});
