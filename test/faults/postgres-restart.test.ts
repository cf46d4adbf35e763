import { chmodSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Role } from "../../src/core/auth/roles";
import { signToken } from "../../src/core/auth/tokens";
import { loadConfig } from "../../src/core/config";
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { isPublicCode } from "../../src/core/errors";
import { connect } from "../helpers/db";
import { RECORD, validForm } from "../helpers/forms";
import { auditLogState, BUSY_SEALER, freePort, gql, killHard, prepareDatabase, sleep, startHub, type HubProcess } from "./hub-process";

/**
 * PostgreSQL stops under load and comes back: /readyz goes 503 then 200 again, the hub process never
 * exits, clients get clean errors (a contract code, no stack) while it is down and success after.
 * Its own embedded PostgreSQL (own data directory, free port), so the test can stop and start it.
 */
const dataDir = path.join(os.tmpdir(), `nh-fault-pg-${process.pid}`);
let pgPort: number;
let pgUrl = "";
let hub: HubProcess | null = null;
let pgControl: ChildProcess;
let pgAnswers: AsyncIterator<string>;

/** Sends a command to pg-control.js and waits for its one-line answer. */
async function pg(command: "start" | "stop"): Promise<string> {
  pgControl.stdin!.write(`${command}\n`);
  const { value } = await pgAnswers.next();
  if (!value || value.startsWith("error")) throw new Error(`embedded PostgreSQL ${command}: ${value}`);
  if (value.startsWith("started ")) pgUrl = value.slice("started ".length);
  return value;
}

beforeAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  chmodSync(dataDir, 0o755);
  pgPort = await freePort();
  pgControl = spawn(process.execPath, [path.join(__dirname, "pg-control.js"), dataDir, String(pgPort), "nh_fault"], { stdio: ["pipe", "pipe", "inherit"] });
  pgAnswers = readline.createInterface({ input: pgControl.stdout! })[Symbol.asyncIterator]();
  await pg("start");
  await prepareDatabase(pgUrl, { migrate: true });
}, 120_000);

afterAll(async () => {
  if (hub) await killHard(hub);
  if (pgControl && pgControl.exitCode === null) {
    const exited = new Promise((r) => pgControl.once("exit", r));
    pgControl.stdin!.write("exit\n");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

interface Observation {
  at: number;
  kind: "readyz" | "write";
  status: number | "no answer";
  code?: string;
  ok?: boolean;
  clean?: boolean;
}

describe("PostgreSQL restarts under load", () => {
  it("readyz goes 503 then 200, the hub never exits, clients get clean errors then success", async () => {
    const url = pgUrl;
    hub = await startHub(url, undefined, BUSY_SEALER);
    const token = await signToken(loadConfig({ NODE_ENV: "development" }), { sub: "pc-pgdown", agency: "CLE", roles: [Role.OFFICER] }, 3600);
    const log: Observation[] = [];
    let running = true;
    let phase: "before" | "down" | "after" = "before";
    const phases: Record<string, Observation[]> = { before: [], down: [], after: [] };
    const note = (o: Observation) => (log.push(o), phases[phase].push(o));

    const probeReady = async () => {
      while (running) {
        try {
          const r = await fetch(`${hub!.url}/readyz`, { signal: AbortSignal.timeout(5000) });
          note({ at: Date.now(), kind: "readyz", status: r.status });
        } catch {
          note({ at: Date.now(), kind: "readyz", status: "no answer" });
        }
        await sleep(100);
      }
    };
    let n = 0;
    const writer = async () => {
      while (running) {
        const form = validForm({ idempotencyKey: `pgdown-${process.pid}-${n++}`, areaCode: "CLE-STOCKTON", person: null });
        try {
          const r = await gql(hub!.url, token, RECORD, { input: form }, AbortSignal.timeout(15_000));
          const code = r.body?.errors?.[0]?.extensions?.code;
          const ok = !!r.body?.data?.recordNaloxoneAdministration?.id;
          const clean = ok || (isPublicCode(code) && !/stack|node_modules|ECONNREFUSED|terminat|\.js:\d+/i.test(r.text));
          note({ at: Date.now(), kind: "write", status: r.status, code, ok, clean });
        } catch {
          note({ at: Date.now(), kind: "write", status: "no answer" });
        }
        await sleep(50);
      }
    };

    const load = [probeReady(), writer(), writer(), writer()];
    await sleep(1500);
    phase = "down";
    await pg("stop");
    await sleep(4000);
    await pg("start");
    phase = "after";
    // Until the hub is ready again, then a little more load.
    for (let i = 0; i < 150 && !(log.at(-1)?.kind === "readyz" && log.at(-1)?.status === 200 && phases.after.some((o) => o.kind === "write" && o.ok)); i++) await sleep(200);
    await sleep(1500);
    running = false;
    await Promise.all(load);

    const summary = (os: Observation[]) => os.map((o) => (o.kind === "readyz" ? `readyz ${o.status}` : `write ${o.ok ? "ok" : `${o.status} ${o.code ?? ""}`}`));
    const seen = (os: Observation[]) => [...new Set(summary(os))];

    expect(hub.proc.exitCode).toBeNull(); // the hub process never crashed
    expect(hub.proc.signalCode).toBeNull();
    // Before: ready, writes succeed.
    expect(phases.before.some((o) => o.kind === "readyz" && o.status === 200)).toBe(true);
    expect(phases.before.filter((o) => o.kind === "write").every((o) => o.ok)).toBe(true);
    // Down: readyz says 503 (never "no answer": the process is alive and answering); writes fail cleanly.
    expect(seen(phases.down)).toContain("readyz 503");
    expect(phases.down.filter((o) => o.kind === "readyz" && o.status === "no answer")).toEqual([]);
    const failedWrites = phases.down.filter((o) => o.kind === "write" && !o.ok);
    expect(failedWrites.length).toBeGreaterThan(0);
    expect(failedWrites.filter((o) => !o.clean)).toEqual([]);
    // After: ready again, and writes succeed again.
    expect(log.filter((o) => o.kind === "readyz").at(-1)?.status).toBe(200);
    const afterWrites = phases.after.filter((o) => o.kind === "write");
    expect(afterWrites.slice(-3).every((o) => o.ok)).toBe(true);

    // Every successful answer is stored once; no failed answer left a row behind.
    const ds = await connect(url);
    try {
      const [{ incidents }] = await ds.query(`SELECT count(*)::int AS incidents FROM incident`);
      const oks = log.filter((o) => o.kind === "write" && o.ok).length;
      expect(incidents).toBeGreaterThanOrEqual(oks);
      // No audit row lost: every stored incident has its one INCIDENT_RECORDED row.
      const [{ recorded, distinct }] = await ds.query(`SELECT count(*)::int AS recorded, count(DISTINCT "entityId")::int AS distinct FROM audit_event WHERE action = 'INCIDENT_RECORDED'`);
      expect({ recorded, distinct }).toEqual({ recorded: incidents, distinct: incidents });
      expect((await ds.query(`SELECT * FROM audit_chain_first_break()`)).length).toBe(0);
      // The hub's own sealer catches up after the restart: nothing left unsealed once it has had a moment.
      for (let i = 0; i < 100 && (await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE "chainSeq" IS NULL`))[0].n > 0; i++) await sleep(100);
      expect((await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE "chainSeq" IS NULL`))[0].n).toBe(0);
    } finally {
      await ds.destroy();
    }
    // Across the restart: no audit row lost or sealed twice, every checkpoint consistent with the next.
    const audit = await auditLogState(url);
    expect(audit.intact).toBe(true);
    expect(audit.sealed).toEqual({ rows: audit.rows, distinct: audit.rows, max: audit.rows });
    expect(audit.inconsistent).toEqual([]);
    process.stdout.write(`postgres restart: before ${JSON.stringify(seen(phases.before))}, down ${JSON.stringify(seen(phases.down))}, after ${JSON.stringify(seen(phases.after))}\n`);
  }, 150_000);
});
