import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, sleep } from "./hub-process";

/**
 * `npm start` as an operator runs it (build, embedded PostgreSQL, demo data), stopped the way a
 * process manager or a closing terminal stops it: SIGTERM or SIGINT to the npm process alone. The
 * hub and its PostgreSQL must be gone afterwards, not stranded behind an exited npm.
 */
const root = path.join(__dirname, "..", "..");
const dataDir = path.join(os.tmpdir(), `nh-npm-start-${process.pid}`);
const started: number[] = [];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every process started for this test's data directory (its environment names it), with its command line. */
function processesOfThisRun(): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${d}/environ`, "utf8").split("\0").includes(`DATA_DIR=${dataDir}`)) continue;
      out.push({ pid: Number(d), cmd: readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ").trim() });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

async function startNpm(): Promise<{ npm: ChildProcess; hubPid: number; pgPid: number; port: number; exited: Promise<{ code: number | null; signal: string | null }>; output: () => string }> {
  const [port, pgPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: "info", NODE_ENV: "development" };
  delete env.DATABASE_URL;
  const npm = spawn("npm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  npm.stdout!.on("data", (d) => (out += d));
  npm.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => npm.once("exit", (code, signal) => resolve({ code, signal })));
  const t0 = Date.now();
  for (;;) {
    if (npm.exitCode !== null) throw new Error(`npm start exited during start: ${out.slice(-2000)}`);
    if (Date.now() - t0 > 360_000) throw new Error(`npm start not ready in 6 minutes: ${out.slice(-2000)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  const mine = processesOfThisRun();
  // The hub itself (not the `sh -c` npm may put around it), and the postmaster of our data directory.
  const hub = mine.find((p) => /^\S*node dist\/src\/index\.js/.test(p.cmd));
  const pgPid = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  if (!hub || !pgPid) throw new Error(`hub or PostgreSQL not found: ${JSON.stringify(mine)}`);
  started.push(...mine.map((p) => p.pid), pgPid);
  return { npm, hubPid: hub.pid, pgPid, port, exited, output: () => out };
}

afterAll(async () => {
  // Whatever outlived its launcher (on a broken build) is stopped here, by the pids this test found.
  started.push(...processesOfThisRun().map((p) => p.pid));
  for (const pid of started) if (alive(pid)) process.kill(pid, "SIGTERM");
  for (let i = 0; i < 120 && started.some(alive); i++) await sleep(250);
  for (const pid of started) if (alive(pid)) process.kill(pid, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start stops the hub when it is stopped", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s to the npm process drains and stops the hub and its embedded PostgreSQL",
    async (signal) => {
      const s = await startNpm();
      expect(alive(s.hubPid)).toBe(true);
      expect(alive(s.pgPid)).toBe(true);
      s.npm.kill(signal);
      const exit = await Promise.race([s.exited, sleep(30_000).then(() => null)]);
      expect(exit).not.toBeNull();
      for (let i = 0; i < 80 && (alive(s.hubPid) || alive(s.pgPid)); i++) await sleep(250);
      expect({ hub: alive(s.hubPid), postgres: alive(s.pgPid) }).toEqual({ hub: false, postgres: false });
      expect(processesOfThisRun()).toEqual([]);
      expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
      await expect(fetch(`http://127.0.0.1:${s.port}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
      // It drained and exited cleanly, not killed half-way.
      expect(exit).toEqual({ code: 0, signal: null });
      expect(s.output()).toMatch(/shutting down: draining requests/);
    },
    420_000,
  );
});
