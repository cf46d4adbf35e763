import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import {
  CompactRange,
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from "../../src/core/audit/merkle";
import { formatCheckpoint, keyId, openNote, parseCheckpoint, signNote, verifierKey } from "../../src/core/audit/note";

// Published RFC 6962 test vectors: the eight leaves, the roots of the trees of 1..8 of them, and the
// inclusion and consistency proofs of the Certificate Transparency reference code (as kept in
// transparency-dev/merkle, proof/verify_test.go). Our implementation is our own; these are the data.
const h = (hex: string) => Buffer.from(hex, "hex");
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(h);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
].map(h);
// [leaf (1-based), tree size, proof]
const INCLUSION: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]],
  [6, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]],
  [3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [2, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]],
];
const CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]],
  [6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]],
  [2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]],
  [6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]],
];

const leafHashes = LEAVES.map(leafHash);
const mthOf = (hashes: Hash[]) => (a: number, b: number) => rootFromLeafHashes(hashes.slice(a, b));
const hex = (hs: Hash[]) => hs.map((x) => x.toString("hex"));

describe("RFC 6962 Merkle tree", () => {
  it("hashes leaves with 0x00 and nodes with 0x01, and the empty tree as SHA-256 of nothing", () => {
    expect(EMPTY_ROOT.toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(leafHash(Buffer.alloc(0)).toString("hex")).toBe(ROOTS[0].toString("hex"));
    expect(nodeHash(leafHashes[0], leafHashes[1]).toString("hex")).toBe(ROOTS[1].toString("hex"));
    expect(nodeHash(leafHashes[0], leafHashes[1])).toEqual(createHash("sha256").update(Buffer.concat([Buffer.from([1]), leafHashes[0], leafHashes[1]])).digest());
  });

  it.each(ROOTS.map((r, i) => [i + 1, r] as const))("gives the published root of the first %i leaves", (n, root) => {
    expect(rootFromLeafHashes(leafHashes.slice(0, n))).toEqual(root);
    const range = new CompactRange();
    for (const l of leafHashes.slice(0, n)) range.append(l);
    expect(range.root()).toEqual(root);
  });

  it.each(INCLUSION)("builds and verifies the published inclusion proof of leaf %i in a tree of %i", (leaf, size, proof) => {
    const built = inclusionProof(leaf - 1, size, mthOf(leafHashes.slice(0, size)));
    expect(hex(built)).toEqual(proof);
    expect(verifyInclusion(leaf - 1, size, leafHashes[leaf - 1], built, ROOTS[size - 1])).toBe(true);
  });

  it.each(CONSISTENCY)("builds and verifies the published consistency proof from %i to %i", (m, n, proof) => {
    const built = consistencyProof(m, n, mthOf(leafHashes.slice(0, n)));
    expect(hex(built)).toEqual(proof);
    expect(verifyConsistency(m, n, ROOTS[m - 1], ROOTS[n - 1], built)).toBe(true);
  });

  it("refuses every corrupted inclusion proof (wrong index, size, leaf, root; garbage; flipped bits)", () => {
    for (const [leaf, size, p] of INCLUSION.filter(([, , p]) => p.length > 0)) {
      const proof = p.map(h);
      const m = leaf - 1;
      const root = ROOTS[size - 1];
      const lh = leafHashes[m];
      const bad: Array<[number, number, Hash, Hash[], Hash]> = [
        [m - 1, size, lh, proof, root],
        [m + 1, size, lh, proof, root],
        [m ^ 2, size, lh, proof, root],
        [m, size * 2, lh, proof, root],
        [m, Math.floor(size / 2), lh, proof, root],
        [m, size, leafHash(Buffer.from("WrongLeaf")), proof, root],
        [m, size, lh, proof, EMPTY_ROOT],
        [m, size, lh, [...proof, root], root],
        [m, size, lh, [root, ...proof], root],
        [m, size, lh, proof.slice(0, -1), root],
        ...proof.map((_, i): [number, number, Hash, Hash[], Hash] => [m, size, lh, proof.map((x, j) => (j === i ? Buffer.from(x.map((b, k) => (k === 0 ? b ^ 8 : b))) : x)), root]),
      ];
      for (const args of bad) expect(verifyInclusion(...args)).toBe(false);
    }
  });

  it("refuses every corrupted consistency proof", () => {
    for (const [m, n, p] of CONSISTENCY.filter(([, , p]) => p.length > 0)) {
      const proof = p.map(h);
      const r1 = ROOTS[m - 1];
      const r2 = ROOTS[n - 1];
      const bad: Array<[number, number, Hash, Hash, Hash[]]> = [
        [m - 1, n, r1, r2, proof],
        [m + 1, n, r1, r2, proof],
        [m ^ 2, n, r1, r2, proof],
        [m, n * 2, r1, r2, proof],
        [m, Math.floor(n / 2), r1, r2, proof],
        [m, n, r2, r1, proof],
        [m, n, EMPTY_ROOT, r2, proof],
        [m, n, r1, r2, []],
        [m, n, r1, r2, [...proof, r1]],
        [m, n, r1, r2, [r2, ...proof]],
        [m, n, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Hash, Hash, Hash[]] => [m, n, r1, r2, proof.map((x, j) => (j === i ? Buffer.from(x.map((b, k) => (k === 0 ? b ^ 16 : b))) : x))]),
      ];
      for (const args of bad) expect(verifyConsistency(...args)).toBe(false);
    }
    expect(verifyConsistency(0, 5, EMPTY_ROOT, ROOTS[4], [])).toBe(true);
    expect(verifyConsistency(3, 3, ROOTS[2], ROOTS[2], [])).toBe(true);
    expect(verifyConsistency(3, 3, ROOTS[2], ROOTS[3], [])).toBe(false);
    expect(verifyConsistency(4, 3, ROOTS[3], ROOTS[2], [])).toBe(false);
  });

  it("agrees with itself on every pair of sizes up to 70 leaves, and the compact range completes each perfect subtree once", () => {
    const many = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
    const range = new CompactRange();
    const completed = new Set<string>();
    for (let n = 1; n <= many.length; n++) {
      for (const node of range.append(many[n - 1])) {
        const k = `${node.level}/${node.index}`;
        expect(completed.has(k)).toBe(false);
        completed.add(k);
        expect(node.hash).toEqual(rootFromLeafHashes(many.slice(node.index * 2 ** node.level, (node.index + 1) * 2 ** node.level)));
      }
      const root = rootFromLeafHashes(many.slice(0, n));
      expect(range.root()).toEqual(root);
      const mth = mthOf(many.slice(0, n));
      for (let m = 0; m < n; m++) expect(verifyInclusion(m, n, many[m], inclusionProof(m, n, mth), root)).toBe(true);
      for (let m = 0; m <= n; m++) {
        const old = rootFromLeafHashes(many.slice(0, m));
        expect(verifyConsistency(m, n, old, root, consistencyProof(m, n, mth))).toBe(true);
      }
    }
    // A tree of 70 has 70 leaves and 69 perfect subtrees above them that complete before 70 (64+4+2 edge).
    expect(completed.size).toBe(70 + 64 - 1 + 4 - 1 + 2 - 1);
  });
});

describe("C2SP signed note and tlog-checkpoint", () => {
  // The example key and note of the reference implementation (golang.org/x/mod/sumdb/note): a verifier key and
  // a note signed by it, so our parser and Ed25519 key id agree with the published format.
  it("opens the reference implementation's example note with its published verifier key", () => {
    const vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const note = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    const [name, id, b64] = vkey.split("+");
    const raw = Buffer.from(b64, "base64");
    expect(raw[0]).toBe(1);
    const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.subarray(1).toString("base64url") }, format: "jwk" });
    expect(keyId(name, publicKey).toString("hex")).toBe(id);
    expect(verifierKey(name, publicKey)).toBe(vkey);
    expect(openNote(note, name, publicKey)).toBe("If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n");
    expect(() => openNote(note.replace("answer", "Answer"), name, publicKey)).toThrow(/does not verify/);
  });

  it("signs a checkpoint that opens with the key and parses back; another key or an edit does not open", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const other = generateKeyPairSync("ed25519").publicKey;
    const body = formatCheckpoint({ origin: "hub.example/audit", size: 8, rootHash: ROOTS[7], extensions: ["time 1764547200"] });
    expect(body).toBe(`hub.example/audit\n8\n${ROOTS[7].toString("base64")}\ntime 1764547200\n`);
    const note = signNote(body, "hub.example/audit", privateKey);
    expect(note.startsWith(`${body}\n\u2014 hub.example/audit `)).toBe(true);
    expect(parseCheckpoint(openNote(note, "hub.example/audit", publicKey))).toEqual({ origin: "hub.example/audit", size: 8, rootHash: ROOTS[7], extensions: ["time 1764547200"] });
    expect(() => openNote(note, "hub.example/audit", other)).toThrow(/no signature/);
    expect(() => openNote(note.replace("\n8\n", "\n9\n"), "hub.example/audit", publicKey)).toThrow(/does not verify/);
    // A witness's cosignature line (another key) is ignored, not an error.
    const cosigned = `${note}\u2014 witness.example ${Buffer.alloc(68, 7).toString("base64")}\n`;
    expect(openNote(cosigned, "hub.example/audit", publicKey)).toBe(body);
    expect(() => parseCheckpoint("o\n08\nAAAA\n")).toThrow();
  });
});
