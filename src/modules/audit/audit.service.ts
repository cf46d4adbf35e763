import type { DataSource } from "typeorm";
import type { Config } from "../../core/config.js";
import { notFound } from "../../core/errors.js";
import { decodeCursor, pageSize, toConnection } from "../../core/pagination.js";
import { isUuid } from "../../core/ids.js";
import { AuditEvent } from "./audit-event.entity.js";
import type { AuditChainReport, AuditCheckpoint, AuditEventConnection, AuditEventFilter } from "./audit.types.js";
import { badInput, conflict } from "../../core/errors.js";
import { auditSigner } from "../../core/audit/signing.js";
import { ensureCheckpoint } from "../../core/audit/public-log.js";
import { AuditTreeError, consistencyProofFromRows, currentSealLag, inclusionProofFor, verifyStoredLog } from "../../core/audit/tree-store.js";

/** A proof asked of a log whose rows no longer match its tree: CONFLICT, naming the position only. */
async function orConflict<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof AuditTreeError) throw conflict(`The audit log does not match its tree: ${e.message}`);
    throw e;
  }
}

export class AuditService {
  constructor(private readonly deps: { dataSource: DataSource; config: Config }) {}

  async events(filter: AuditEventFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<AuditEventConnection> {
    const size = pageSize(first, this.deps.config.pageSize);
    const cursor = decodeCursor(after);
    const qb = this.deps.dataSource.getRepository(AuditEvent).createQueryBuilder("e").where("TRUE");
    if (filter?.action) qb.andWhere("e.action = :action", { action: filter.action });
    if (filter?.personId) {
      if (!isUuid(filter.personId)) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } as AuditEventConnection;
      qb.andWhere(`e."personId" = :pid`, { pid: filter.personId });
    }
    if (filter?.actorAgencyCode) qb.andWhere(`e."actorAgencyCode" = :agency`, { agency: filter.actorAgencyCode });
    if (filter?.from) qb.andWhere("e.at >= :from", { from: filter.from });
    if (filter?.to) qb.andWhere("e.at < :to", { to: filter.to });
    if (cursor) qb.andWhere(`(e.at, e.id) < (:ct, :cid::bigint)`, { ct: cursor.t, cid: cursor.id });
    const rows = await qb.orderBy("e.at", "DESC").addOrderBy("e.id", "DESC").limit(size + 1).getMany();
    return toConnection(rows, size, (node) => ({ t: node.at.toISOString(), id: node.id })) as AuditEventConnection;
  }

  /** Every read (and refused read) of one person's identifying data, newest first. */
  async accessReport(personId: string): Promise<AuditEvent[]> {
    if (!isUuid(personId)) throw notFound("Person");
    return this.deps.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder("e")
      .where(`e."personId" = :personId`, { personId })
      .andWhere(`e.action IN ('PERSON_READ', 'PERSON_READ_DENIED')`)
      .orderBy("e.at", "DESC")
      .addOrderBy("e.id", "DESC")
      .limit(5000)
      .getMany();
  }

  /** Re-computes the whole Merkle tree from the rows and checks every checkpoint against it. */
  async verifyChain(): Promise<AuditChainReport> {
    const signer = await auditSigner(this.deps);
    const [v, lag] = await Promise.all([verifyStoredLog(this.deps.dataSource, signer.publicKey, signer.keyName), currentSealLag(this.deps.dataSource)]);
    const [{ max }] = await this.deps.dataSource.query(`SELECT COALESCE(max("chainSeq"), 0)::int AS max FROM audit_event`);
    return {
      intact: v.intact,
      rowsChecked: v.rowsChecked,
      firstBrokenSeq: v.firstBrokenSeq === null ? null : String(v.firstBrokenSeq),
      reason: v.reason,
      sealedThrough: max,
      unsealed: lag.unsealed,
      sealLagSeconds: lag.lagSeconds,
      checkpointsChecked: v.checkpointsChecked,
    };
  }

  async checkpoint(): Promise<AuditCheckpoint> {
    const c = await ensureCheckpoint(this.deps);
    return { treeSize: c.treeSize, rootHash: c.rootHash.toString("hex"), signedAt: c.signedAt, note: c.note, keyName: c.keyName };
  }

  async inclusionProof(seq: number, treeSize: number): Promise<string[]> {
    const head = await ensureCheckpoint(this.deps);
    if (treeSize < 1 || treeSize > head.treeSize) throw badInput([{ field: "treeSize", rule: `must be from 1 to the latest checkpoint's size (${head.treeSize})` }]);
    if (seq < 1 || seq > treeSize) throw badInput([{ field: "seq", rule: "must be from 1 to treeSize" }]);
    return (await orConflict(inclusionProofFor(this.deps.dataSource, seq, treeSize))).map((h) => h.toString("hex"));
  }

  async consistencyProof(fromSize: number, toSize: number): Promise<string[]> {
    const head = await ensureCheckpoint(this.deps);
    if (toSize < 0 || toSize > head.treeSize) throw badInput([{ field: "toSize", rule: `must be from 0 to the latest checkpoint's size (${head.treeSize})` }]);
    if (fromSize < 0 || fromSize > toSize) throw badInput([{ field: "fromSize", rule: "must be from 0 to toSize" }]);
    return (await orConflict(consistencyProofFromRows(this.deps.dataSource, fromSize, toSize))).map((h) => h.toString("hex"));
  }
}
