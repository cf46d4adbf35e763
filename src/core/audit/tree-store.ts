import type { KeyObject } from "node:crypto";
import {
  CompactRange,
  consistencyProof,
  EMPTY_ROOT,
  frontierOf,
  inclusionProof,
  leafHash,
  nodeHash,
  perfectNode,
  rangesNeeded,
  type Hash,
  type SubtreeHash,
  type TreeNode,
} from "./merkle.js";
import { openNote, parseCheckpoint } from "./note.js";

// The audit log's Merkle tree as stored in PostgreSQL. Leaves are audit_event.hash (leaf index =
// "chainSeq" - 1); every perfect subtree above them is a row of audit_tree_node; each seal's
// signed head is a row of audit_checkpoint.

/** A DataSource or an EntityManager: anything that runs a parameterised query. */
export interface Db {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export class AuditTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuditTreeError";
  }
}

const key = (level: number, index: number) => `${level}:${index}`;

/** Stored hashes of the given perfect subtrees (level 0: the rows' leaf hashes). */
export async function fetchNodes(db: Db, keys: Array<{ level: number; index: number }>): Promise<Map<string, Hash>> {
  const out = new Map<string, Hash>();
  const leaves = keys.filter((k) => k.level === 0).map((k) => k.index + 1);
  const inner = keys.filter((k) => k.level > 0);
  if (leaves.length > 0) {
    const rows: Array<{ seq: string; hash: string | null }> = await db.query(`SELECT "chainSeq"::text AS seq, hash FROM audit_event WHERE "chainSeq" = ANY($1::bigint[])`, [leaves]);
    for (const r of rows) if (r.hash) out.set(key(0, Number(r.seq) - 1), Buffer.from(r.hash, "hex"));
  }
  if (inner.length > 0) {
    const rows: Array<{ level: number; idx: string; hash: Buffer }> = await db.query(
      `SELECT n.level, n.idx::text AS idx, n.hash FROM audit_tree_node n JOIN unnest($1::smallint[], $2::bigint[]) AS k(level, idx) ON n.level = k.level AND n.idx = k.idx`,
      [inner.map((k) => k.level), inner.map((k) => k.index)],
    );
    for (const r of rows) out.set(key(r.level, Number(r.idx)), r.hash);
  }
  return out;
}

/** The perfect subtrees MTH(D[a:b]) is made of (as the RFC's recursion splits it). */
function nodesOfRange(a: number, b: number, out: Array<{ level: number; index: number }>): void {
  if (b - a <= 0) return;
  const p = perfectNode(a, b);
  if (p) {
    out.push(p);
    return;
  }
  let k = 1;
  while (k * 2 < b - a) k *= 2;
  nodesOfRange(a, a + k, out);
  nodesOfRange(a + k, b, out);
}

function mthFrom(nodes: Map<string, Hash>): SubtreeHash {
  const mth = (a: number, b: number): Hash => {
    if (b - a <= 0) return EMPTY_ROOT;
    const p = perfectNode(a, b);
    if (p) {
      const h = nodes.get(key(p.level, p.index));
      if (!h) throw new AuditTreeError(`tree node ${p.level}/${p.index} is missing`);
      return h;
    }
    let k = 1;
    while (k * 2 < b - a) k *= 2;
    return nodeHash(mth(a, a + k), mth(a + k, b));
  };
  return mth;
}

/** Runs a proof (or root) computation over the stored nodes: one query for every node it needs. */
export async function fromStoredNodes<T>(db: Db, build: (mth: SubtreeHash) => T): Promise<T> {
  const keys: Array<{ level: number; index: number }> = [];
  for (const [a, b] of rangesNeeded(build as (mth: SubtreeHash) => unknown)) nodesOfRange(a, b, keys);
  return build(mthFrom(await fetchNodes(db, keys)));
}

/** MTH(D[0:n]) from the stored nodes. */
export function rootFromStoredNodes(db: Db, n: number): Promise<Hash> {
  return fromStoredNodes(db, (mth) => mth(0, n));
}

/** The stored perfect subtrees on the right edge of a tree of `size` leaves, to append to. */
export async function storedFrontier(db: Db, size: number): Promise<CompactRange> {
  const keys = frontierOf(size);
  const nodes = await fetchNodes(db, keys);
  return new CompactRange(
    size,
    keys.map((k) => {
      const hash = nodes.get(key(k.level, k.index));
      if (!hash) throw new AuditTreeError(`tree node ${k.level}/${k.index} is missing`);
      return { ...k, hash };
    }),
  );
}

/** Inclusion proof of the row with sequence `seq` (1-based) in the tree of `treeSize` leaves. */
export function inclusionProofFor(db: Db, seq: number, treeSize: number): Promise<Hash[]> {
  return fromStoredNodes(db, (mth) => inclusionProof(seq - 1, treeSize, mth));
}

const CHUNK = 10_000;

/**
 * Leaf hashes recomputed from the rows' current content (never the stored hashes), in sequence
 * order, from seq a + 1 to b. A gap in the sequence is an AuditTreeError naming the missing seq.
 */
async function* rowLeaves(db: Db, a: number, b: number): AsyncGenerator<{ seq: number; leaf: Hash; stored: string | null }> {
  let next = a + 1;
  while (next <= b) {
    const upTo = Math.min(b, next + CHUNK - 1);
    const rows: Array<{ seq: string; leaf: Buffer; stored: string | null }> = await db.query(
      `SELECT "chainSeq"::text AS seq, audit_leaf_hash(e) AS leaf, hash AS stored FROM audit_event e WHERE "chainSeq" BETWEEN $1 AND $2 ORDER BY "chainSeq"`,
      [next, upTo],
    );
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== next) throw new AuditTreeError(`row ${next} is missing`);
      yield { seq, leaf: r.leaf, stored: r.stored };
      next++;
    }
    if (next <= upTo) throw new AuditTreeError(`row ${next} is missing`);
  }
}

/**
 * Consistency proof from `fromSize` to `toSize`, and the root of `toSize`, with every hash
 * recomputed from the rows as they are now (one pass over rows 1..toSize), never from the stored
 * hashes: a row altered or deleted behind the triggers' back changes the root (or stops the proof)
 * against any head signed before, which is how a partner holding a signed head finds it.
 */
export async function consistencyFromRows(db: Db, fromSize: number, toSize: number): Promise<{ proof: Hash[]; root: Hash }> {
  const ranges = rangesNeeded((mth) => consistencyProof(fromSize, toSize, mth)).sort((x, y) => x[0] - y[0]);
  const hashes = new Map<string, Hash>();
  const whole = new CompactRange();
  let r = 0;
  let current: CompactRange | null = null;
  for await (const { seq, leaf } of rowLeaves(db, 0, toSize)) {
    const i = seq - 1;
    whole.append(leaf);
    while (r < ranges.length && i >= ranges[r][1]) r++;
    if (r < ranges.length && i >= ranges[r][0]) {
      current ??= new CompactRange();
      current.append(leaf);
      if (i === ranges[r][1] - 1) {
        // MTH of the leaves [a, b) folds the same way wherever the range starts.
        hashes.set(`${ranges[r][0]}:${ranges[r][1]}`, current.root());
        current = null;
      }
    }
  }
  const proof = consistencyProof(fromSize, toSize, (a, b) => {
    const h = hashes.get(`${a}:${b}`);
    if (!h) throw new AuditTreeError("proof range not computed");
    return h;
  });
  return { proof, root: whole.root() };
}

export async function consistencyProofFromRows(db: Db, fromSize: number, toSize: number): Promise<Hash[]> {
  return (await consistencyFromRows(db, fromSize, toSize)).proof;
}

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  signedAt: Date;
  keyName: string;
  note: string;
}

export async function latestCheckpoint(db: Db): Promise<StoredCheckpoint | null> {
  const [row] = await db.query(`SELECT "treeSize"::text AS size, "rootHash", "signedAt", "keyName", note FROM audit_checkpoint ORDER BY "treeSize" DESC LIMIT 1`);
  return row ? { treeSize: Number(row.size), rootHash: row.rootHash, signedAt: row.signedAt, keyName: row.keyName, note: row.note } : null;
}

export interface LogVerification {
  intact: boolean;
  rowsChecked: number;
  checkpointsChecked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

/**
 * Re-computes the whole log: every sealed row's leaf hash from its content, the sequence without
 * gaps, every stored tree node from the nodes below it, every checkpoint's root at its size, and
 * the latest checkpoint's signature. Reports the first problem, by sequence.
 */
export async function verifyStoredLog(db: Db, publicKey: KeyObject, keyName: string): Promise<LogVerification> {
  const head = await latestCheckpoint(db);
  const [{ max }] = await db.query(`SELECT COALESCE(max("chainSeq"), 0)::text AS max FROM audit_event`);
  const sealed = Number(max);
  const size = Math.max(sealed, head?.treeSize ?? 0);
  const broken = (seq: number, reason: string, rowsChecked: number, checkpointsChecked: number): LogVerification => ({
    intact: false, rowsChecked, checkpointsChecked, firstBrokenSeq: seq, reason,
  });
  if (head) {
    try {
      const body = parseCheckpoint(openNote(head.note, keyName, publicKey));
      if (body.size !== head.treeSize || !body.rootHash.equals(head.rootHash)) return broken(head.treeSize, "the latest checkpoint's note does not match its tree head", 0, 0);
    } catch {
      return broken(head.treeSize, "the latest checkpoint's signature does not verify", 0, 0);
    }
  }
  const range = new CompactRange();
  let rows = 0;
  let checkpoints = 0;
  let pending: TreeNode[] = [];
  const checkNodes = async (): Promise<TreeNode | null> => {
    if (pending.length === 0) return null;
    const stored = await fetchNodes(db, pending);
    const bad = pending.find((n) => !stored.get(key(n.level, n.index))?.equals(n.hash)) ?? null;
    pending = [];
    return bad;
  };
  // Checkpoints in size order, a chunk at a time.
  let cps: Array<{ size: number; root: Buffer }> = [];
  let cpDone = false;
  let cpAfter = -1;
  const refill = async () => {
    if (cpDone || cps.length > 0) return;
    const got: Array<{ size: string; rootHash: Buffer }> = await db.query(
      `SELECT "treeSize"::text AS size, "rootHash" FROM audit_checkpoint WHERE "treeSize" > $1 ORDER BY "treeSize" LIMIT ${CHUNK}`,
      [cpAfter],
    );
    cps = got.map((c) => ({ size: Number(c.size), root: c.rootHash }));
    if (got.length < CHUNK) cpDone = true;
    if (cps.length > 0) cpAfter = cps[cps.length - 1].size;
  };
  await refill();
  if (cps.length > 0 && cps[0].size === 0) {
    if (!cps[0].root.equals(EMPTY_ROOT)) return broken(0, "a checkpoint's root does not match the rows", 0, checkpoints);
    checkpoints++;
    cps.shift();
    await refill();
  }
  try {
    for await (const { seq, leaf, stored } of rowLeaves(db, 0, size)) {
      if (stored !== leaf.toString("hex")) return broken(seq, "row content does not match its hash", rows, checkpoints);
      for (const n of range.append(leaf)) if (n.level > 0) pending.push(n);
      rows++;
      while (cps.length > 0 && cps[0].size === seq) {
        const bad = await checkNodes();
        if (bad) return broken(bad.index * 2 ** bad.level + 1, "a tree node does not match the rows below it", rows, checkpoints);
        if (!range.root().equals(cps[0].root)) return broken(seq, "a checkpoint's root does not match the rows", rows, checkpoints);
        checkpoints++;
        cps.shift();
        await refill();
      }
      if (pending.length >= CHUNK) {
        const bad = await checkNodes();
        if (bad) return broken(bad.index * 2 ** bad.level + 1, "a tree node does not match the rows below it", rows, checkpoints);
      }
    }
  } catch (e) {
    if (e instanceof AuditTreeError) {
      const seq = Number(/row (\d+) is missing/.exec(e.message)?.[1] ?? 0);
      return broken(seq, "a row at this position is missing", rows, checkpoints);
    }
    throw e;
  }
  const bad = await checkNodes();
  if (bad) return broken(bad.index * 2 ** bad.level + 1, "a tree node does not match the rows below it", rows, checkpoints);
  if (head && sealed !== head.treeSize) return broken(head.treeSize, "the sealed rows and the latest checkpoint disagree on the size", rows, checkpoints);
  return { intact: true, rowsChecked: rows, checkpointsChecked: checkpoints, firstBrokenSeq: null, reason: null };
}

/** Seconds since the oldest unsealed row was written (0 when every row is sealed). */
export async function currentSealLag(db: Db): Promise<{ unsealed: number; lagSeconds: number }> {
  const [r] = await db.query(
    `SELECT count(*)::int AS n, COALESCE(extract(epoch FROM clock_timestamp() - min(at)), 0)::float8 AS lag FROM audit_event WHERE "chainSeq" IS NULL`,
  );
  return { unsealed: r.n, lagSeconds: Math.max(0, r.lag) };
}

export { leafHash };
