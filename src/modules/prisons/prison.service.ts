import type { Actor } from "../../core/auth/actor.js";
import { writeAudit } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, conflict, forbidden } from "../../core/errors.js";
import { createOnce, insertOnce, requestHash } from "../../core/idempotency.js";
import { resolvePerson } from "../people/person.service.js";
import { decodeCursor, encodeCursor, pageSize } from "../../core/pagination.js";
import { AgencyKind } from "../../core/auth/roles.js";
import { HIDDEN, publishCount, publishedRatio, suppressLinked } from "../aggregates/suppression.policy.js";
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
   * Coverage by prison and month in one GROUP BY. Rows, their with/without-kit split and the totals
   * are linked tables, suppressed together so no hidden figure follows from the others.
   */
  async coverage(filter: PrisonCoverageFilter | null | undefined): Promise<PrisonCoverage> {
    if (filter?.from && filter?.to && filter.from >= filter.to) throw badInput([{ field: "filter.to", rule: "must be after from" }]);
    const params: unknown[] = [];
    const where = [`r."opioidUseIdentified"`, `r."releaseType" <> 'TRANSFERRED'`];
    if (filter?.from) where.push(`r."releaseDate" >= $${params.push(filter.from)}::date`);
    if (filter?.to) where.push(`r."releaseDate" < $${params.push(filter.to)}::date`);
    if (filter?.prisonCodes) where.push(`a.code = ANY($${params.push(filter.prisonCodes)}::text[])`);
    const rows: Array<{ prisonCode: string; month: string; released: number; withKit: number }> = await this.deps.dataSource.query(
      `SELECT a.code AS "prisonCode", to_char(r."releaseDate", 'YYYY-MM') AS month, count(*)::int AS released,
              count(*) FILTER (WHERE r."releasedWithKit")::int AS "withKit"
         FROM prison_release r JOIN agency a ON a.id = r."agencyId"
        WHERE ${where.join(" AND ")}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    // Cells: per row [withKit, withoutKit], then row totals, column totals, grand total.
    const n = rows.length;
    const values = [...rows.flatMap((r) => [r.withKit, r.released - r.withKit]), ...rows.map((r) => r.released)];
    const colWith = rows.reduce((s, r) => s + r.withKit, 0);
    const colWithout = rows.reduce((s, r) => s + r.released - r.withKit, 0);
    values.push(colWith, colWithout, colWith + colWithout);
    const rowTotal = (i: number) => 2 * n + i;
    const [cWith, cWithout, grand] = [3 * n, 3 * n + 1, 3 * n + 2];
    const hidden = suppressLinked(
      values,
      [
        ...rows.map((_, i) => ({ total: rowTotal(i), parts: [2 * i, 2 * i + 1] })),
        { total: cWith, parts: rows.map((_, i) => 2 * i) },
        { total: cWithout, parts: rows.map((_, i) => 2 * i + 1) },
        { total: grand, parts: rows.map((_, i) => rowTotal(i)) },
        { total: grand, parts: [cWith, cWithout] },
      ],
      this.deps.config.suppression,
    );
    const pub = (i: number) => (hidden[i] ? HIDDEN : publishCount(values[i], this.deps.config.suppression));
    const figures = (released: number, withKit: number) => ({ opioidUsersReleased: pub(released), releasedWithKit: pub(withKit), share: publishedRatio(pub(withKit), pub(released)) });
    return {
      rows: rows.map((r, i) => ({ prisonCode: r.prisonCode, month: r.month, ...figures(rowTotal(i), 2 * i) })),
      total: figures(grand, cWith),
      nationalReferenceShare: COVERAGE_REFERENCES.national,
      forwardTrustReferenceShare: COVERAGE_REFERENCES.forwardTrust,
      suppression: { ...this.deps.config.suppression },
    };
  }
}
