import { spawnSync } from "node:child_process";
import path from "node:path";
import { verifyToken } from "../../src/core/auth/tokens";
import { loadConfig } from "../../src/core/config";

// `npm run token` runs scripts/run-built.mjs: it builds dist/ only when a source is newer than the
// last build, so once built a token costs one small node process (timings: docs, not asserts).

const ROOT = path.join(__dirname, "..", "..");
const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "scripts", "run-built.mjs"), "token", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, JWT_SECRET: "" } });

describe("npm run token", () => {
  it("explains itself with --help", () => {
    const r = run("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("usage: npm run -s token -- --agency CODE --role ROLE");
    expect(r.stdout).toContain("TREATMENT_WORKER");
  }, 120_000);

  it("prints a token the hub accepts, without rebuilding when dist/ is current", async () => {
    run("--help"); // builds if needed
    const r = run("--agency", "DUR", "--role", "OFFICER", "--sub", "pc-4711", "--collar", "4711");
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain("building dist/");
    const claims = await verifyToken(loadConfig({ NODE_ENV: "test" }), r.stdout.trim());
    expect(claims).toMatchObject({ sub: "pc-4711", agency: "DUR", roles: ["OFFICER"], collarNumber: "4711" });
  }, 120_000);

  it("refuses an unknown role with the usage", () => {
    const r = run("--agency", "DUR", "--role", "WIZARD");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown role(s): WIZARD");
  }, 120_000);
});
