import type { Actor } from "../../core/auth/actor.js";
import { auditedTransaction } from "../../core/audit/audit.js";
import { AgencyKind } from "../../core/auth/roles.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, forbidden } from "../../core/errors.js";
import { forceInScope, policeForce } from "../programme/scope.js";
import { FundingRecord } from "./funding.entity.js";
import { checkFunding } from "./funding.policy.js";
import type { FundingFilter, FundingInput } from "./funding.types.js";

export class FundingService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Records (or updates) a force's funding line, keyed by force, strand, source and period start: a
   * retry returns the same record, and a later report of the same line updates its figures.
   */
  async record(actor: Actor, input: FundingInput): Promise<FundingRecord> {
    if (actor.agency.kind !== AgencyKind.HUB_OPERATOR) throw forbidden("Funding is recorded by the programme lead at the hub");
    const problems = checkFunding(input);
    if (problems.length) throw badInput(problems);
    const force = await policeForce(this.deps.dataSource.manager, input.forceCode);
    return auditedTransaction(this.deps.dataSource, actor, async (m, trail) => {
      const [row] = await m.query(
        `INSERT INTO funding_record ("agencyId", strand, source, available, allocated, spent, "periodStart", "periodEnd", "recordedBySub")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ("agencyId", strand, source, "periodStart") DO UPDATE SET available = EXCLUDED.available, allocated = EXCLUDED.allocated,
           spent = EXCLUDED.spent, "periodEnd" = EXCLUDED."periodEnd", "recordedBySub" = EXCLUDED."recordedBySub", "updatedAt" = now()
         RETURNING id, (xmax = 0) AS inserted`,
        [force.id, input.strand, input.source, input.available, input.allocated, input.spent, input.periodStart, input.periodEnd ?? null, actor.sub],
      );
      trail.add({ action: row.inserted ? "FUNDING_RECORDED" : "FUNDING_UPDATED", entityType: "FundingRecord", entityId: row.id, detail: { forceCode: force.code, strand: input.strand } });
      return m.getRepository(FundingRecord).findOneByOrFail({ id: row.id });
    });
  }

  /** The programme lead: every force, or the one named; a force lead: its own force only. */
  async list(actor: Actor, filter: FundingFilter | null | undefined): Promise<FundingRecord[]> {
    const m = this.deps.dataSource.manager;
    const force = actor.agency.kind === AgencyKind.HUB_OPERATOR && !filter?.forceCode ? null : await forceInScope(m, actor, filter?.forceCode ?? (actor.agency.kind === AgencyKind.POLICE_FORCE ? actor.agency.code : null), "filter.forceCode");
    const qb = m.getRepository(FundingRecord).createQueryBuilder("f").innerJoin("f.agency", "a").where("TRUE");
    if (force) qb.andWhere(`f."agencyId" = :force`, { force: force.id });
    if (filter?.strand) qb.andWhere("f.strand = :strand", { strand: filter.strand });
    return qb.orderBy("a.code").addOrderBy("f.strand").addOrderBy("f.source").addOrderBy(`f."periodStart"`).getMany();
  }
}
