import type { DataSource } from "typeorm";
import type { Config } from "../../core/config.js";
import { notFound } from "../../core/errors.js";
import { decodeCursor, pageSize, toConnection } from "../../core/pagination.js";
import { isUuid } from "../../core/ids.js";
import { AuditEvent } from "./audit-event.entity.js";
import type { AuditChainReport, AuditEventConnection, AuditEventFilter } from "./audit.types.js";

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

  /** Re-computes the whole chain in PostgreSQL and reports the first broken link. */
  async verifyChain(): Promise<AuditChainReport> {
    const [[brk], [{ n }]] = await Promise.all([
      this.deps.dataSource.query(`SELECT chain_seq::text AS seq, reason FROM audit_chain_first_break()`),
      this.deps.dataSource.query(`SELECT count(*)::int AS n FROM audit_event`),
    ]);
    return { intact: !brk, rowsChecked: n, firstBrokenSeq: brk?.seq ?? null, reason: brk?.reason ?? null };
  }
}
