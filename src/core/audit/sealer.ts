import type { DataSource } from "typeorm";
import type { Config } from "../config.js";
import { safeErrorForLog } from "../format-error.js";
import type { Logger } from "../logger.js";
import { auditSigner } from "./signing.js";
import { currentSealLag, latestCheckpoint, storedFrontier } from "./tree-store.js";
import type { TreeNode } from "./merkle.js";

/**
 * The sealer: integrates committed audit rows into the Merkle tree and signs a checkpoint.
 *
 * Requests append audit rows without any lock. The sealer takes a lock nobody else takes (a
 * transaction-scoped advisory lock, tried, never waited for: one sealer at a time across every hub
 * process on the database), then, in one transaction:
 *  1. takes the unsealed rows whose inserting transaction lies below the snapshot's horizon
 *     (pg_snapshot_xmin: every transaction below it has ended, so no row of theirs can still
 *     appear; a row whose transaction commits late is simply sealed by a later run),
 *  2. gives them the next contiguous sequence numbers in (txid, id) order; the table's trigger
 *     computes each row's RFC 6962 leaf hash from its content,
 *  3. appends the leaves to the tree, storing every perfect subtree completed,
 *  4. signs the new tree head as a C2SP checkpoint (signed note, Ed25519) and stores it.
 * A crash anywhere rolls the whole seal back; the next run redoes it.
 */

/** Only the sealer takes this lock. */
export const SEALER_LOCK = 4723190002;

export interface SealResult {
  /** False when another process holds the sealer's lock (nothing was done). */
  ran: boolean;
  sealed: number;
  treeSize: number;
}

export async function sealAuditLog(deps: { config: Config; dataSource: DataSource }): Promise<SealResult> {
  const signer = await auditSigner(deps);
  return deps.dataSource.transaction(async (m) => {
    const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [SEALER_LOCK]);
    if (!locked) return { ran: false, sealed: 0, treeSize: -1 };
    await m.query(`SET LOCAL naloxone.audit_sealing = 'on'`);
    const head = await latestCheckpoint(m);
    const size = head?.treeSize ?? 0;
    const answer = await m.query(
      `WITH batch AS (
         SELECT id, row_number() OVER (ORDER BY txid, id) AS rn FROM (
           SELECT id, txid FROM audit_event
            WHERE "chainSeq" IS NULL AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
            ORDER BY txid, id LIMIT $2
         ) b
       )
       UPDATE audit_event e SET "chainSeq" = $1::bigint + batch.rn FROM batch WHERE e.id = batch.id
       RETURNING e."chainSeq"::text AS seq, e.hash`,
      [size, deps.config.audit.sealBatch],
    );
    // TypeORM answers an UPDATE ... RETURNING with [rows, count].
    const rows: Array<{ seq: string; hash: string }> = Array.isArray(answer[0]) ? answer[0] : answer;
    if (rows.length === 0 && head) return { ran: true, sealed: 0, treeSize: size };
    const range = await storedFrontier(m, size);
    const nodes: TreeNode[] = [];
    rows.sort((a, b) => Number(a.seq) - Number(b.seq));
    for (const r of rows) for (const n of range.append(Buffer.from(r.hash, "hex"))) if (n.level > 0) nodes.push(n);
    if (range.size !== size + rows.length) throw new Error("sealed rows are not contiguous");
    for (let i = 0; i < nodes.length; i += 10_000) {
      const part = nodes.slice(i, i + 10_000);
      await m.query(`INSERT INTO audit_tree_node (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
        part.map((n) => n.level),
        part.map((n) => n.index),
        part.map((n) => n.hash),
      ]);
    }
    const signedAt = new Date();
    const rootHash = range.root();
    const note = signer.signCheckpoint({ origin: signer.keyName, size: range.size, rootHash, extensions: [`time ${Math.floor(signedAt.getTime() / 1000)}`] });
    await m.query(`INSERT INTO audit_checkpoint ("treeSize", "rootHash", "signedAt", "keyName", note) VALUES ($1, $2, $3, $4, $5)`, [range.size, rootHash, signedAt, signer.keyName, note]);
    return { ran: true, sealed: rows.length, treeSize: range.size };
  });
}

let lastLag: number | null = null;

/**
 * Seconds the oldest unsealed audit row has waited, as this process's sealer last measured it
 * (null when no sealer runs here). For the metrics endpoint; /readyz asks the database itself.
 */
export function sealLagSeconds(): number | null {
  return lastLag;
}

export interface Sealer {
  stop(): Promise<void>;
}

/** Seals every `sealIntervalMs` (at once again while a full batch was sealed) until stopped. */
export function startSealer(deps: { config: Config; dataSource: DataSource; logger: Logger }): Sealer {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let failing = false;
  const tick = async () => {
    let again = false;
    try {
      const r = await sealAuditLog(deps);
      again = r.ran && r.sealed >= deps.config.audit.sealBatch;
      const lag = await currentSealLag(deps.dataSource);
      lastLag = lag.lagSeconds;
      if (lag.lagSeconds > deps.config.audit.maxSealDelaySeconds) {
        deps.logger.warn({ sealLagSeconds: lag.lagSeconds, unsealed: lag.unsealed, maxSealDelaySeconds: deps.config.audit.maxSealDelaySeconds }, "audit seal delay exceeded");
      }
      if (failing) deps.logger.info("audit sealing recovered");
      failing = false;
    } catch (e) {
      if (!stopped && !failing) deps.logger.error({ err: safeErrorForLog(e) }, "audit sealing failed");
      failing = true;
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), again ? 0 : deps.config.audit.sealIntervalMs);
  };
  timer = setTimeout(() => (running = tick()), 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      lastLag = null;
    },
  };
}
