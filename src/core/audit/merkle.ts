import { createHash } from "node:crypto";

// RFC 6962 (section 2.1) / RFC 9162 (section 2.1) Merkle hash trees over SHA-256: leaf hash
// SHA-256(0x00 || data), node hash SHA-256(0x01 || left || right), the empty tree's hash
// SHA-256(""). A tree of n leaves splits at k, the largest power of two smaller than n. Proofs are
// lists of hashes in the RFC's order (from the leaf upwards). Pure functions: the database code
// (tree-store.ts) supplies subtree hashes through a callback.

export type Hash = Buffer;

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const EMPTY_ROOT: Hash = createHash("sha256").digest();

export function leafHash(data: Buffer): Hash {
  return createHash("sha256").update(LEAF).update(data).digest();
}

export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash("sha256").update(NODE).update(left).update(right).digest();
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}

/** The largest power of two strictly smaller than n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[0:n]) from all leaf hashes (the reference definition; used by tests and small trees). */
export function rootFromLeafHashes(leaves: Hash[]): Hash {
  const mth = (a: number, b: number): Hash => {
    if (b - a === 0) return EMPTY_ROOT;
    if (b - a === 1) return leaves[a];
    const k = splitPoint(b - a);
    return nodeHash(mth(a, a + k), mth(a + k, b));
  };
  return mth(0, leaves.length);
}

/** MTH of the leaves [a, b): what a proof needs of a subtree. */
export type SubtreeHash = (a: number, b: number) => Hash;

/** RFC 9162 2.1.3.1: the inclusion proof (audit path) of leaf m (0-based) in the tree of size n. */
export function inclusionProof(m: number, n: number, mth: SubtreeHash): Hash[] {
  if (!(m >= 0 && m < n)) throw new RangeError("leaf index must be below the tree size");
  const path = (m: number, a: number, b: number): Hash[] => {
    if (b - a <= 1) return [];
    const k = splitPoint(b - a);
    return m < k ? [...path(m, a, a + k), mth(a + k, b)] : [...path(m - k, a + k, b), mth(a, a + k)];
  };
  return path(m, 0, n);
}

/** RFC 9162 2.1.4.1: the consistency proof from the tree of size m to the tree of size n. */
export function consistencyProof(m: number, n: number, mth: SubtreeHash): Hash[] {
  if (!(m >= 0 && m <= n)) throw new RangeError("the old size must not exceed the new size");
  if (m === 0 || m === n) return [];
  const subproof = (m: number, a: number, b: number, whole: boolean): Hash[] => {
    if (m === b - a) return whole ? [] : [mth(a, b)];
    const k = splitPoint(b - a);
    return m <= k ? [...subproof(m, a, a + k, whole), mth(a + k, b)] : [...subproof(m - k, a + k, b, false), mth(a, a + k)];
  };
  return subproof(m, 0, n, true);
}

/** The subtree ranges a proof will ask for, so that a store can fetch them in one go. */
export function rangesNeeded(build: (mth: SubtreeHash) => unknown): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  build((a, b) => {
    ranges.push([a, b]);
    return EMPTY_ROOT;
  });
  return ranges;
}

/** RFC 9162 2.1.3.2: does `proof` place `leaf` at index m of a tree of size n with this root? */
export function verifyInclusion(m: number, n: number, leaf: Hash, proof: Hash[], root: Hash): boolean {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m < n)) return false;
  let fn = m;
  let sn = n - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && root.length === 32 && r.equals(root);
}

/** RFC 9162 2.1.4.2: does `proof` show the tree of size n (root2) extends the tree of size m (root1)? */
export function verifyConsistency(m: number, n: number, root1: Hash, root2: Hash, proof: Hash[]): boolean {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m <= n)) return false;
  if (m === 0) return proof.length === 0;
  if (m === n) return proof.length === 0 && root1.equals(root2);
  if (proof.length === 0 || proof.some((p) => p.length !== 32)) return false;
  let path = proof;
  // m a power of two: the old root is itself the first node of the path.
  if (isPowerOfTwo(m)) path = [root1, ...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

/** A perfect subtree: 2^level leaves starting at leaf index * 2^level. */
export interface TreeNode {
  level: number;
  index: number;
  hash: Hash;
}

/**
 * The right edge of a tree being appended to (a "compact range" from leaf 0): one perfect subtree
 * per set bit of the size, largest first. Appending a leaf merges equal-sized neighbours and
 * reports each completed node, so a store can keep every perfect subtree's hash.
 */
export class CompactRange {
  private nodes: TreeNode[];
  private count: number;

  /** `frontier`: the perfect subtrees of a tree of `size` leaves, largest first (see frontierOf). */
  constructor(size = 0, frontier: TreeNode[] = []) {
    const expected = frontierOf(size);
    if (expected.length !== frontier.length || expected.some((e, i) => e.level !== frontier[i].level || e.index !== frontier[i].index)) {
      throw new Error("the frontier does not match the tree size");
    }
    this.count = size;
    this.nodes = frontier.map((n) => ({ ...n }));
  }

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash; returns the nodes it completed (level 0, the leaf itself, first). */
  append(leaf: Hash): TreeNode[] {
    const done: TreeNode[] = [{ level: 0, index: this.count, hash: leaf }];
    let node: TreeNode = { level: 0, index: this.count, hash: leaf };
    while (this.nodes.length > 0 && this.nodes[this.nodes.length - 1].level === node.level) {
      const left = this.nodes.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      done.push(node);
    }
    this.nodes.push(node);
    this.count += 1;
    return done;
  }

  root(): Hash {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let r = this.nodes[this.nodes.length - 1].hash;
    for (let i = this.nodes.length - 2; i >= 0; i--) r = nodeHash(this.nodes[i].hash, r);
    return r;
  }
}

/** The (level, index) of the perfect subtrees that make up a tree of `size` leaves, largest first. */
export function frontierOf(size: number): Array<{ level: number; index: number }> {
  const out: Array<{ level: number; index: number }> = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      out.push({ level, index: start / width });
      start += width;
    }
  }
  return out;
}

/** The perfect aligned subtrees covering [a, b) as a proof's MTH(D[a:b]) splits it, or null when [a, b) is itself one. */
export function perfectNode(a: number, b: number): { level: number; index: number } | null {
  const width = b - a;
  if (width <= 0 || !isPowerOfTwo(width) || a % width !== 0) return null;
  return { level: Math.log2(width), index: a / width };
}
