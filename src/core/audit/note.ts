import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

// C2SP signed-note (c2sp.org/signed-note) with Ed25519 signatures, carrying a C2SP tlog-checkpoint
// (c2sp.org/tlog-checkpoint) body. Shared by the hub (signing) and `npm run audit:verify`.
//
// Note:      <text, every line ending in \n> \n <signature lines>
// Signature: U+2014 U+0020 <key name> U+0020 base64(key id (4 bytes) || Ed25519 signature of the text)
// Key id:    the first 4 bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte public key)
// Checkpoint text: <origin>\n<tree size>\n<base64 root hash>\n[extension lines]

const ED25519 = 0x01;
const DASH = "\u2014 ";

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  /** Extension lines; the hub writes one, `time <unix seconds>`, the moment it signed. */
  extensions: string[];
}

export function formatCheckpoint(c: Checkpoint): string {
  if (!c.origin || /[\s+]/.test(c.origin)) throw new Error("origin must be non-empty, without spaces or '+'");
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new Error("tree size must be a whole number");
  if (c.rootHash.length !== 32) throw new Error("root hash must be 32 bytes");
  for (const l of c.extensions) if (!l || /[\n\r]/.test(l)) throw new Error("extension lines must be non-empty single lines");
  return [c.origin, String(c.size), c.rootHash.toString("base64"), ...c.extensions].map((l) => `${l}\n`).join("");
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith("\n")) throw new Error("checkpoint text must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3 || lines.some((l) => l === "")) throw new Error("checkpoint must have at least three non-empty lines");
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) throw new Error("checkpoint tree size is not a decimal number");
  const rootHash = Buffer.from(rootLine, "base64");
  if (rootHash.length !== 32 || rootHash.toString("base64") !== rootLine) throw new Error("checkpoint root hash is not 32 bytes of base64");
  return { origin, size: Number(sizeLine), rootHash, extensions };
}

/** The raw 32-byte Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== "ed25519") throw new Error("not an Ed25519 key");
  const jwk = pub.export({ format: "jwk" }) as { x?: string };
  return Buffer.from(jwk.x ?? "", "base64url");
}

export function keyId(name: string, publicKey: KeyObject): Buffer {
  return createHash("sha256").update(name, "utf8").update(Buffer.from([0x0a, ED25519])).update(rawPublicKey(publicKey)).digest().subarray(0, 4);
}

/** The verifier key string witnesses and Go's sumdb/note tools take: <name>+<hex key id>+<base64(0x01 || key)>. */
export function verifierKey(name: string, publicKey: KeyObject): string {
  return `${name}+${keyId(name, publicKey).toString("hex")}+${Buffer.concat([Buffer.from([ED25519]), rawPublicKey(publicKey)]).toString("base64")}`;
}

function checkName(name: string): void {
  if (!name || /[\s+]/.test(name)) throw new Error("key name must be non-empty, without spaces or '+'");
}

/** Signs `text` (which must end in a newline and hold no blank line) as a signed note. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  checkName(name);
  if (!text.endsWith("\n") || text.includes("\n\n")) throw new Error("note text must end in a newline and hold no blank line");
  const signature = sign(null, Buffer.from(text, "utf8"), privateKey);
  const id = keyId(name, privateKey);
  return `${text}\n${DASH}${name} ${Buffer.concat([id, signature]).toString("base64")}\n`;
}

export class NoteVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoteVerificationError";
  }
}

/**
 * Opens a signed note: returns its text when a signature line of `name` with this key's id carries
 * a valid Ed25519 signature. Signatures by other keys are ignored (witness cosignatures, say).
 */
export function openNote(note: string, name: string, publicKey: KeyObject): string {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new NoteVerificationError("not a signed note: no blank line before the signatures");
  const text = note.slice(0, split + 1);
  const sigBlock = note.slice(split + 2);
  if (!sigBlock.endsWith("\n")) throw new NoteVerificationError("signature lines must end with a newline");
  const want = keyId(name, publicKey);
  for (const line of sigBlock.slice(0, -1).split("\n")) {
    if (!line.startsWith(DASH)) throw new NoteVerificationError("malformed signature line");
    const rest = line.slice(DASH.length);
    const space = rest.lastIndexOf(" ");
    if (space <= 0) throw new NoteVerificationError("malformed signature line");
    const sigName = rest.slice(0, space);
    const blob = Buffer.from(rest.slice(space + 1), "base64");
    if (sigName !== name || blob.length < 5 || !blob.subarray(0, 4).equals(want)) continue;
    if (!verify(null, Buffer.from(text, "utf8"), publicKey, blob.subarray(4))) throw new NoteVerificationError("the log's signature does not verify");
    return text;
  }
  throw new NoteVerificationError("no signature by the log's key");
}
