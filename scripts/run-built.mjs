#!/usr/bin/env node
// Runs a compiled script from dist/src/scripts, building dist first only when a source file is
// newer than the last build (so `npm run token` answers in well under two seconds once built).
// Usage: node scripts/run-built.mjs <script> [args…]   e.g. node scripts/run-built.mjs token --help
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const [script, ...args] = process.argv.slice(2);
if (!script || !/^[a-z-]+$/.test(script)) {
  process.stderr.write("usage: node scripts/run-built.mjs <script> [args…]\n");
  process.exit(2);
}
const target = path.join(root, "dist", "src", "scripts", `${script}.js`);

/** The newest modification time under the build's inputs. */
function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = s.mtimeMs;
  for (const e of readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}
const inputs = ["src", "migrations", "tsconfig.json", "tsconfig.build.json", "package.json"].map((p) => path.join(root, p)).filter(existsSync);
const stale = !existsSync(target) || Math.max(...inputs.map(newest)) > statSync(target).mtimeMs;
if (stale) {
  process.stderr.write("building dist/ (sources changed since the last build)…\n");
  const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: ["ignore", 2, 2] });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
const run = spawnSync(process.execPath, [target, ...args], { stdio: "inherit" });
process.exit(run.status ?? 1);
