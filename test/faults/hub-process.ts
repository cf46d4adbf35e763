import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { systemClock } from "../../src/core/clock";
import { loadConfig } from "../../src/core/config";
import { createHubPubSub } from "../../src/core/pubsub";
import { seedDemo } from "../../src/demo/seed";
import { connect } from "../helpers/db";
import { verifyConsistency } from "../../src/core/audit/merkle";
import { openNote, parseCheckpoint } from "../../src/core/audit/note";
import { sealAuditLog } from "../../src/core/audit/sealer";
import { auditSigner } from "../../src/core/audit/signing";
import { consistencyProofFromRows, verifyStoredLog } from "../../src/core/audit/tree-store";

const root = path.join(__dirname, "..", "..");

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Migrates (when asked) and loads the demo agencies and routes, without incidents. */
export async function prepareDatabase(url: string, opts: { migrate?: boolean } = {}): Promise<void> {
  const ds = await connect(url);
  try {
    if (opts.migrate) await ds.runMigrations({ transaction: "each" });
    await seedDemo({ config: loadConfig({ NODE_ENV: "test", DATABASE_URL: url }), dataSource: ds, clock: systemClock, pubsub: createHubPubSub({ redisUrl: undefined }) }, { incidents: false });
  } finally {
    await ds.destroy();
  }
}

export interface HubProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote (JSON logs at LOG_LEVEL warn, and anything else). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node dist/src/index.js` on the given database, as in production; resolves once /readyz answers 200. */
export async function startHub(databaseUrl: string, port?: number, extraEnv: Record<string, string> = {}): Promise<HubProcess> {
  port ??= await freePort();
  const proc = spawn(process.execPath, [path.join(root, "dist/src/index.js")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: process.env.HUB_LOG_LEVEL ?? "warn",
      RATE_LIMIT_USER_PER_MINUTE: "1000000",
      RATE_LIMIT_AGENCY_PER_MINUTE: "1000000",
      REDIS_URL: "",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
  const hub: HubProcess = { proc, port, url: `http://127.0.0.1:${port}`, output: () => out, exited };
  for (let i = 0; i < 240; i++) {
    if (proc.exitCode !== null) throw new Error(`hub exited during start: ${out.slice(-2000)}`);
    try {
      if ((await fetch(`${hub.url}/readyz`)).status === 200) return hub;
    } catch {
      // not listening yet
    }
    await sleep(125);
  }
  proc.kill("SIGKILL");
  throw new Error(`hub did not start: ${out.slice(-2000)}`);
}

/** SIGKILL, and wait until the process is gone. */
export async function killHard(hub: HubProcess): Promise<void> {
  if (hub.proc.exitCode !== null || hub.proc.signalCode !== null) return;
  hub.proc.kill("SIGKILL");
  await hub.exited;
}

export interface GqlAnswer {
  status: number;
  body: any;
  text: string;
}

export async function gql(url: string, token: string, query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<GqlAnswer> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertion that reads it will say so
  }
  return { status: res.status, body, text };
}

/** The sealer's settings for fault runs: seal every 50 ms, 7 rows at a time, so a kill -9 most likely lands mid-seal. */
export const BUSY_SEALER = { AUDIT_SEAL_INTERVAL_MS: "50", AUDIT_SEAL_BATCH: "7" };

export interface AuditLogState {
  rows: number;
  checkpoints: number;
  intact: boolean;
  reason: string | null;
  /** Rows holding a sequence number, distinct sequence numbers, the highest: all equal when none is sealed twice or skipped. */
  sealed: { rows: number; distinct: number; max: number };
  /** Consecutive checkpoints whose consistency proof (recomputed from the rows) failed, or whose signature did not open. */
  inconsistent: string[];
}

/**
 * Seals whatever is left (as the next sealer would), then checks the whole log: every row sealed
 * once with no gap, the tree and every checkpoint recomputed from the rows, every checkpoint's
 * signature, and a consistency proof from each checkpoint to the next.
 */
export async function auditLogState(url: string): Promise<AuditLogState> {
  const ds = await connect(url);
  try {
    const config = loadConfig({ NODE_ENV: "development", DATABASE_URL: url });
    for (let i = 0; i < 1000 && (await sealAuditLog({ config, dataSource: ds })).sealed > 0; i++);
    const signer = await auditSigner({ config, dataSource: ds });
    const v = await verifyStoredLog(ds, signer.publicKey, signer.keyName);
    const [counts] = await ds.query(`SELECT count(*)::int AS rows, count("chainSeq")::int AS sealed, count(DISTINCT "chainSeq")::int AS distinct, COALESCE(max("chainSeq"), 0)::int AS max FROM audit_event`);
    const cps: Array<{ size: string; root: Buffer; note: string }> = await ds.query(`SELECT "treeSize"::text AS size, "rootHash" AS root, note FROM audit_checkpoint ORDER BY "treeSize"`);
    const inconsistent: string[] = [];
    for (let i = 0; i < cps.length; i++) {
      const c = parseCheckpoint(openNote(cps[i].note, signer.keyName, signer.publicKey));
      if (c.size !== Number(cps[i].size) || !c.rootHash.equals(cps[i].root)) inconsistent.push(`note of ${cps[i].size}`);
      if (i === 0) continue;
      const [m, n] = [Number(cps[i - 1].size), Number(cps[i].size)];
      const proof = await consistencyProofFromRows(ds, m, n);
      if (!verifyConsistency(m, n, cps[i - 1].root, cps[i].root, proof)) inconsistent.push(`${m} -> ${n}`);
    }
    return {
      rows: counts.rows,
      checkpoints: cps.length,
      intact: v.intact,
      reason: v.reason,
      sealed: { rows: counts.sealed, distinct: counts.distinct, max: counts.max },
      inconsistent,
    };
  } finally {
    await ds.destroy();
  }
}
