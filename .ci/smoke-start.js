// Proves the README's promise: `npm start` with no DATABASE_URL on a fresh data directory reaches
// /readyz, serves the demo agencies to a HUB ADMIN token, and stops PostgreSQL on SIGTERM.
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function main() {
  const dataDir = path.join(os.tmpdir(), `nh-smoke-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const [port, pgPort] = [await freePort(), await freePort()];
  const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) };
  delete env.DATABASE_URL;
  const t0 = Date.now();
  const child = spawn("npm", ["start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));

  let ready = false;
  while (Date.now() - t0 < 120_000 && child.exitCode === null) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) {
        ready = true;
        break;
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!ready) throw new Error(`hub did not become ready within 120 s:\n${out.slice(-3000)}`);
  console.log(`readyz 200 after ${((Date.now() - t0) / 1000).toFixed(1)} s (including the build)`);

  const token = execFileSync("node", ["dist/src/scripts/token.js", "--agency", "HUB", "--role", "ADMIN"], { env }).toString().trim();
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ agencies { code kind } }" }),
  });
  const body = await res.json();
  const codes = (body.data?.agencies ?? []).map((a) => a.code);
  for (const c of ["HUB", "CLE", "SWP", "ASC", "LAN", "DUR", "NYP", "NFK"]) {
    if (!codes.includes(c)) throw new Error(`agency ${c} missing from ${JSON.stringify(body).slice(0, 500)}`);
  }
  console.log(`ADMIN token lists ${codes.length} agencies`);

  // The partner dashboard is built by `npm start` (scripts/start.mjs) and served with its own CSP.
  const page = await fetch(`http://127.0.0.1:${port}/dashboard/`);
  const html = await page.text();
  const csp = page.headers.get("content-security-policy") ?? "";
  if (page.status !== 200 || !html.includes('src="app.js"') || !csp.includes("script-src 'self'")) {
    throw new Error(`/dashboard/ not served as built: HTTP ${page.status}, CSP ${csp}`);
  }
  const script = await fetch(`http://127.0.0.1:${port}/dashboard/app.js`);
  if (script.status !== 200) throw new Error(`/dashboard/app.js: HTTP ${script.status}`);
  console.log("dashboard served with its CSP");

  // SIGTERM to `npm start` itself: it must drain and stop the hub and its PostgreSQL.
  child.kill("SIGTERM");
  const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 20_000))]);
  if (!result) throw new Error("hub did not stop within 20 s of SIGTERM");
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (fs.existsSync(pidFile)) throw new Error("PostgreSQL still running after the hub stopped");
  console.log("SIGTERM: hub and embedded PostgreSQL stopped");
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(`smoke test failed: ${e.message}`);
  process.exit(1);
});
