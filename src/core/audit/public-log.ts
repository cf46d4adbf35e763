import express from "express";
import type { DataSource } from "typeorm";
import type { Config } from "../config.js";
import { safeErrorForLog } from "../format-error.js";
import type { Logger } from "../logger.js";
import { sealAuditLog } from "./sealer.js";
import { auditSigner } from "./signing.js";
import { AuditTreeError, consistencyFromRows, latestCheckpoint, type StoredCheckpoint } from "./tree-store.js";

type Deps = { config: Config; dataSource: DataSource };

/** The latest checkpoint; before the first seal has run, seals once (the empty tree, at least). */
export async function ensureCheckpoint(deps: Deps): Promise<StoredCheckpoint> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const c = await latestCheckpoint(deps.dataSource);
    if (c) return c;
    const r = await sealAuditLog(deps);
    if (!r.ran) await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("no audit checkpoint could be made");
}

/**
 * What anyone may fetch to witness the log, without a token: the latest signed checkpoint, the
 * public key, and consistency proofs between two sizes (with the root of the newer size, both
 * recomputed from the rows). Only sizes, roots and hashes: never a row.
 * A consistency proof is re-computed from the rows (cost grows with the log), so one runs at a time
 * per process; others are told to retry.
 */
export function publicAuditLogRouter(deps: Deps & { logger: Logger }): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  const fail = (res: express.Response, e: unknown) => {
    if (e instanceof AuditTreeError) {
      res.status(409).json({ error: "the audit log does not match its tree", detail: e.message });
      return;
    }
    deps.logger.error({ err: safeErrorForLog(e) }, "public audit log endpoint failed");
    res.status(500).json({ error: "internal error" });
  };

  router.get("/checkpoint", async (_req, res) => {
    try {
      const c = await ensureCheckpoint(deps);
      res.type("text/plain; charset=utf-8").send(c.note);
    } catch (e) {
      fail(res, e);
    }
  });

  router.get("/public-key", async (_req, res) => {
    try {
      const signer = await auditSigner(deps);
      res.setHeader("X-Audit-Verifier-Key", signer.verifierKey);
      res.type("application/x-pem-file").send(signer.publicKeyPem);
    } catch (e) {
      fail(res, e);
    }
  });

  let busy = false;
  router.get("/consistency", async (req, res) => {
    const size = (v: unknown) => (typeof v === "string" && /^(0|[1-9][0-9]{0,14})$/.test(v) ? Number(v) : NaN);
    const from = size(req.query.from);
    const to = size(req.query.to);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) {
      res.status(400).json({ error: "from and to must be tree sizes, from <= to" });
      return;
    }
    if (busy) {
      res.setHeader("Retry-After", "1");
      res.status(429).json({ error: "a proof is being computed: retry" });
      return;
    }
    busy = true;
    try {
      const head = await ensureCheckpoint(deps);
      if (to > head.treeSize) {
        res.status(400).json({ error: `to must not exceed the latest checkpoint's size (${head.treeSize})` });
        return;
      }
      const { proof, root } = await consistencyFromRows(deps.dataSource, from, to);
      res.json({ fromSize: from, toSize: to, proof: proof.map((h) => h.toString("hex")), rowsRoot: root.toString("hex") });
    } catch (e) {
      fail(res, e);
    } finally {
      busy = false;
    }
  });
  return router;
}
