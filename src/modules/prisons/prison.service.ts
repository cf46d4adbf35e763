import type { Actor } from "../../core/auth/actor.js";
import { writeAudit } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, conflict, forbidden } from "../../core/errors.js";
import { createOnce, insertOnce, requestHash } from "../../core/idempotency.js";
import { resolvePerson } from "../people/person.service.js";
import { decodeCursor, encodeCursor, pageSize } from "../../core/pagination.js";
import { AgencyKind } from "../../core/auth/roles.js";
import { auditAggregateRead } from "../aggregates/aggregate-read.js";
import { snapMonths, type Period } from "../aggregates/period.policy.js";
import { keySumSql, publishCount, publishedRatio, ruleInfo } from "../aggregates/suppression.policy.js";
import { PrisonRelease } from "./prison.entity.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import { checkRelease, COVERAGE_REFERENCES } from "./prison.policy.js";
import type { PrisonCoverage, PrisonCoverageFilter, PrisonReleaseConnection, PrisonReleaseInput } from "./prison.types.js";

export class PrisonService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Records a release for the caller's prison; retries with the same key return the first record. */
  async record(actor: Actor, input: PrisonReleaseInput): Promise<PrisonRelease> {
    if (actor.agency.kind !== AgencyKind.PRISON) throw forbidden("Only a prison records prison releases");
    const { dataSource: ds, clock } = this.deps;
    const hash = requestHash(input as unknown as Record<string, unknown>);
    return createOnce({
      hash,
      find: () => ds.getRepository(PrisonRelease).findOneBy({ agencyId: actor.agency.id, idempotencyKey: input.idempotencyKey }),
      onConflict: () => conflict("idempotencyKey: already used for a different release; use a new key for a new record"),
      validate: () => {
        const problems = checkRelease(input, clock.now().toISOString().slice(0, 10));
        if (problems.length) throw badInput(problems);
      },
      create: () =>
        ds.transaction(async (m) => {
          const personId = input.person ? await resolvePerson(m, this.deps.config.identityKeySecret, actor.agency.id, input.person) : null;
          const id = await insertOnce(m, PrisonRelease, {
            agencyId: actor.agency.id,
            personId,
            idempotencyKey: input.idempotencyKey,
            requestHash: hash,
            recordedBySub: actor.sub,
            opioidUseIdentified: input.opioidUseIdentified,
            identifiedOn: input.identifiedOn ?? null,
            pointOfOffer: input.pointOfOffer ?? null,
            offerOutcome: input.offerOutcome,
            declineReason: input.declineReason ?? null,
            trainedOn: input.trainedOn ?? null,
            trainerType: input.trainerType ?? null,
            kitIssued: input.kitIssued,
            kitHeldIn: input.kitHeldIn ?? null,
            releaseDate: input.releaseDate,
            releaseType: input.releaseType,
            releasedWithKit: input.releasedWithKit,
          });
          // The audit row says a release was recorded, not what its THN facts were.
          await writeAudit(m, actor, { action: "PRISON_RELEASE_RECORDED", entityType: "PrisonRelease", entityId: id, personId });
          return m.getRepository(PrisonRelease).findOneByOrFail({ id });
        }),
    });
  }

  /** The caller's own prison's release records only: nobody else reads one. */
  async list(actor: Actor, first: number | null | undefined, after: string | null | undefined): Promise<PrisonReleaseConnection> {
    const size = pageSize(first, this.deps.config.pageSize);
    const cursor = decodeCursor(after);
    const qb = scoped(this.deps.dataSource.getRepository(PrisonRelease).createQueryBuilder("r").where("TRUE"), reach.prisonRelease, viewerOf(actor), "r");
    if (cursor) qb.andWhere(`(r."recordedAt", r.id) < (:ct, :cid)`, { ct: cursor.t, cid: cursor.id });
    const rows = await qb.orderBy(`r."recordedAt"`, "DESC").addOrderBy("r.id", "DESC").limit(size + 1).getMany();
    const edges = rows.slice(0, size).map((node) => ({ node, cursor: encodeCursor({ t: node.recordedAt.toISOString(), id: node.id }) }));
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } } as PrisonReleaseConnection;
  }

  /**
   * Coverage by prison and month in one GROUP BY, over whole calendar months. Each row and the total
   * are published from their own records (cell keys); releases with a kit are a sensitive part of
   * the opioid users released, so they are shown only when both they and those without are above
   * the threshold: no figure says that everyone (or no one) released left with a kit.
   */
  async coverage(actor: Actor, filter: PrisonCoverageFilter | null | undefined): Promise<PrisonCoverage> {
    const snapped = snapMonths(filter, this.deps.clock.now());
    const problems = [...("problems" in snapped ? snapped.problems : []), ...((filter?.prisonCodes?.length ?? 0) > 1 ? [{ field: "filter.prisonCodes", rule: "must name at most one prison" }] : [])];
    if (problems.length) throw badInput(problems);
    const { period } = snapped as { period: Period };
    await auditAggregateRead(this.deps.dataSource, actor, "prisonNaloxoneCoverage", { prisonCodes: filter?.prisonCodes }, period);
    const params: unknown[] = [period.from, period.to];
    const where = [`r."releaseType" <> 'TRANSFERRED'`, `r."releaseDate" >= $1::date`, `r."releaseDate" < $2::date`];
    if (filter?.prisonCodes?.length) where.push(`a.code = ANY($${params.push(filter.prisonCodes)}::text[])`);
    const opioid = `r."opioidUseIdentified"`;
    const withKit = `r."opioidUseIdentified" AND r."releasedWithKit"`;
    const rows: Array<{ prisonCode: string | null; month: string | null; population: number; released: number; releasedK: string; withKit: number; withKitK: string }> = await this.deps.dataSource.query(
      `SELECT a.code AS "prisonCode", to_char(r."releaseDate", 'YYYY-MM') AS month, count(*)::int AS population,
              count(*) FILTER (WHERE ${opioid})::int AS released, ${keySumSql("r", opioid)} AS "releasedK",
              count(*) FILTER (WHERE ${withKit})::int AS "withKit", ${keySumSql("r", withKit)} AS "withKitK"
         FROM prison_release r JOIN agency a ON a.id = r."agencyId"
        WHERE ${where.join(" AND ")}
        GROUP BY GROUPING SETS ((a.code, to_char(r."releaseDate", 'YYYY-MM')), ()) ORDER BY 1 NULLS LAST, 2`,
      params,
    );
    const rule = this.deps.config.suppression;
    const figures = (r: (typeof rows)[number] | undefined) => {
      if (!r) return { opioidUsersReleased: publishCount(0, 0, rule), releasedWithKit: publishCount(0, 0, rule), share: null };
      const released = publishCount(r.released, r.releasedK, rule, { population: r.population });
      const kit = publishCount(r.withKit, r.withKitK, rule, { population: r.released, sensitive: true, parent: released });
      return { opioidUsersReleased: released, releasedWithKit: kit, share: publishedRatio(kit, released) };
    };
    return {
      period,
      rows: rows.filter((r) => r.prisonCode !== null).map((r) => ({ prisonCode: r.prisonCode!, month: r.month!, ...figures(r) })),
      total: figures(rows.find((r) => r.prisonCode === null)),
      nationalReferenceShare: COVERAGE_REFERENCES.national,
      forwardTrustReferenceShare: COVERAGE_REFERENCES.forwardTrust,
      suppression: ruleInfo(rule),
    };
  }
}
