import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Config } from "../config.js";
import { formatCheckpoint, keyId, signNote, verifierKey, type Checkpoint } from "./note.js";

/** The key that signs the audit log's checkpoints. */
export interface AuditSigner {
  /** The key name in the signature line (the log's origin). */
  keyName: string;
  keyId: Buffer;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** `<name>+<key id>+<base64 key>`, for witnesses' tools. */
  verifierKey: string;
  /** True for the generated development key (AUDIT_SIGNING_KEY unset, never in production). */
  development: boolean;
  /** The checkpoint as a C2SP signed note. */
  signCheckpoint(c: Checkpoint): string;
}

const cache = new WeakMap<DataSource, Promise<AuditSigner>>();

function signerFrom(config: Config, privateKey: KeyObject, development: boolean): AuditSigner {
  const publicKey = createPublicKey(privateKey);
  const keyName = config.audit.origin;
  return {
    keyName,
    keyId: keyId(keyName, publicKey),
    publicKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    verifierKey: verifierKey(keyName, publicKey),
    development,
    signCheckpoint: (c) => signNote(formatCheckpoint(c), keyName, privateKey),
  };
}

/**
 * AUDIT_SIGNING_KEY when set (required in production); otherwise one development key generated
 * on first use and kept in the database, so every hub process on it signs with the same key.
 */
export function auditSigner(deps: { config: Config; dataSource: DataSource }): Promise<AuditSigner> {
  let p = cache.get(deps.dataSource);
  if (!p) {
    p = loadSigner(deps);
    cache.set(deps.dataSource, p);
    p.catch(() => cache.delete(deps.dataSource));
  }
  return p;
}

async function loadSigner({ config, dataSource }: { config: Config; dataSource: DataSource }): Promise<AuditSigner> {
  if (config.audit.signingKeyPem) return signerFrom(config, createPrivateKey(config.audit.signingKeyPem), false);
  if (config.nodeEnv === "production") throw new Error("AUDIT_SIGNING_KEY is required in production");
  const generated = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  await dataSource.query(`INSERT INTO audit_dev_signing_key ("privateKeyPem") VALUES ($1) ON CONFLICT DO NOTHING`, [generated]);
  const [{ privateKeyPem }] = await dataSource.query(`SELECT "privateKeyPem" FROM audit_dev_signing_key WHERE id = 1`);
  return signerFrom(config, createPrivateKey(privateKeyPem), true);
}
