import { createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { verifyConsistency } from "./merkle.js";
import { NoteVerificationError, openNote, parseCheckpoint, type Checkpoint } from "./note.js";

// What a partner runs to hold the hub to its audit log (`npm run audit:verify`): fetch the latest
// signed checkpoint and the public key, check the signature, and, given a checkpoint kept from an
// earlier run, check that the log only grew (an RFC 6962 consistency proof, which the hub
// re-computes from its rows). The kept checkpoint is then replaced by the new one, and the key is
// pinned next to it on first use (FILE.key.pem): a changed key is reported, not trusted.

export interface WitnessOptions {
  url: string;
  /** A checkpoint kept earlier (created on first use). */
  checkpointFile?: string;
  /** A PEM public key to trust instead of the one the hub serves (and instead of the pinned one). */
  publicKeyFile?: string;
  fetch?: typeof fetch;
}

export interface WitnessResult {
  ok: boolean;
  lines: string[];
  checkpoint: Checkpoint | null;
}

class WitnessError extends Error {}

async function get(f: typeof fetch, url: string): Promise<{ status: number; text: string }> {
  for (let attempt = 0; ; attempt++) {
    const res = await f(url, { signal: AbortSignal.timeout(120_000) });
    const text = await res.text();
    if (res.status === 429 && attempt < 30) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    return { status: res.status, text };
  }
}

function open(note: string, key: KeyObject, what: string): Checkpoint {
  const origin = note.slice(0, note.indexOf("\n"));
  try {
    return parseCheckpoint(openNote(note, origin, key));
  } catch (e) {
    if (e instanceof NoteVerificationError) throw new WitnessError(`${what}: ${e.message}`);
    throw new WitnessError(`${what} is not a checkpoint: ${(e as Error).message}`);
  }
}

export async function witnessAuditLog(opts: WitnessOptions): Promise<WitnessResult> {
  const f = opts.fetch ?? fetch;
  const base = opts.url.replace(/\/+$/, "");
  const lines: string[] = [];
  try {
    const served = await get(f, `${base}/audit/public-key`);
    if (served.status !== 200) throw new WitnessError(`GET /audit/public-key answered ${served.status}`);
    let keyPem = served.text;
    const pinFile = opts.checkpointFile ? `${opts.checkpointFile}.key.pem` : null;
    if (opts.publicKeyFile) {
      keyPem = readFileSync(opts.publicKeyFile, "utf8");
    } else if (pinFile && existsSync(pinFile)) {
      const pinned = readFileSync(pinFile, "utf8");
      if (pinned.trim() !== served.text.trim()) throw new WitnessError(`the log's public key differs from the one pinned in ${pinFile}`);
      keyPem = pinned;
    }
    const key = createPublicKey(keyPem);

    const latest = await get(f, `${base}/audit/checkpoint`);
    if (latest.status !== 200) throw new WitnessError(`GET /audit/checkpoint answered ${latest.status}`);
    const now = open(latest.text, key, "the latest checkpoint");
    lines.push(`signature ok: ${now.origin}, tree size ${now.size}, root ${now.rootHash.toString("hex")}`);

    const kept = opts.checkpointFile && existsSync(opts.checkpointFile) ? open(readFileSync(opts.checkpointFile, "utf8"), key, "the kept checkpoint") : null;
    if (kept && kept.origin !== now.origin) throw new WitnessError(`the kept checkpoint is of another log (${kept.origin})`);
    if (kept && kept.size > now.size) throw new WitnessError(`the log shrank: kept size ${kept.size}, now ${now.size}`);
    {
      // Always: the hub recomputes the signed size's root from its rows (and the proof from the kept size).
      const old = kept ?? now;
      const r = await get(f, `${base}/audit/consistency?from=${old.size}&to=${now.size}`);
      if (r.status !== 200) {
        let detail = "";
        try {
          const body = JSON.parse(r.text);
          detail = [body.error, body.detail].filter(Boolean).join(": ");
        } catch {
          detail = r.text.slice(0, 200);
        }
        throw new WitnessError(`no consistency proof from ${old.size} to ${now.size} (HTTP ${r.status}${detail ? `: ${detail}` : ""})`);
      }
      const body = JSON.parse(r.text) as { proof: string[]; rowsRoot: string };
      if (body.rowsRoot !== now.rootHash.toString("hex")) {
        throw new WitnessError(`the log's rows are NOT consistent with its signed checkpoint (size ${now.size}): rows it covered have changed or gone`);
      }
      lines.push(`the rows match the signed root (size ${now.size})`);
      if (kept) {
        const proof = body.proof.map((h) => Buffer.from(h, "hex"));
        if (!verifyConsistency(old.size, now.size, old.rootHash, now.rootHash, proof)) {
          throw new WitnessError(`the log is NOT consistent with the kept checkpoint (size ${old.size}): rows it covered have changed or gone`);
        }
        lines.push(`consistent with the kept checkpoint (size ${old.size} -> ${now.size})`);
      } else if (opts.checkpointFile) {
        lines.push(`no kept checkpoint: keeping this one in ${opts.checkpointFile}`);
      }
    }
    if (opts.checkpointFile) {
      writeFileSync(opts.checkpointFile, latest.text);
      if (pinFile && !opts.publicKeyFile && !existsSync(pinFile)) writeFileSync(pinFile, served.text);
    }
    return { ok: true, lines, checkpoint: now };
  } catch (e) {
    if (e instanceof WitnessError) return { ok: false, lines: [...lines, `FAILED: ${e.message}`], checkpoint: null };
    return { ok: false, lines: [...lines, `FAILED: ${(e as Error).message}`], checkpoint: null };
  }
}
