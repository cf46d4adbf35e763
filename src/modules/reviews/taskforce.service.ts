import type { Actor } from "../../core/auth/actor.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput } from "../../core/errors.js";
import { auditAggregateRead } from "../aggregates/aggregate-read.js";
import { snapMonths, type Period } from "../aggregates/period.policy.js";
import { keySumSql, publishCount, ruleInfo } from "../aggregates/suppression.policy.js";
import { consentCovering } from "../consent/access.policy.js";
import { loadAccessFacts } from "../consent/access.service.js";
import { Purpose } from "../consent/purpose.js";
import type { TaskforceSummary } from "./review.entity.js";
import type { TaskforceCountFilter, TaskforceReviewCounts } from "./taskforce.types.js";

/**
 * What a taskforce receives from the reviews shared with it. A per-review row only while the
 * person's active consent covers TASKFORCE_REVIEW for this taskforce (checked on every read, so a
 * withdrawal acts at once); every other shared review reaches it only as counts by area and month
 * under the small-number rule, from their own records (the rows and the counts never overlap, so
 * neither can be subtracted from the other).
 */
export class TaskforceService {
  constructor(private readonly deps: Pick<ServiceDeps, "dataSource" | "config" | "clock">) {}

  /** Summary ids (of this taskforce) whose person consents now; the rest are counted, not shown. */
  private async consented(actor: Actor): Promise<{ shown: Set<string>; all: Array<{ id: string; personId: string | null }> }> {
    const all: Array<{ id: string; personId: string | null }> = await this.deps.dataSource.query(
      `SELECT s.id, v."personId" FROM taskforce_summary s LEFT JOIN review v ON v.id = s."reviewId" WHERE s."taskforceAgencyId" = $1`,
      [actor.agency.id],
    );
    const people = [...new Set(all.map((r) => r.personId).filter((p): p is string => !!p))];
    const facts = await loadAccessFacts(this.deps.dataSource, people);
    const now = this.deps.clock.now();
    const agency = { id: actor.agency.id, code: actor.agency.code, kind: actor.agency.kind, areaCodes: actor.agency.areaCodes };
    const shown = new Set(all.filter((r) => r.personId && facts.has(r.personId) && consentCovering(agency, facts.get(r.personId)!, Purpose.TASKFORCE_REVIEW, now)).map((r) => r.id));
    return { shown, all };
  }

  async summaries(actor: Actor): Promise<TaskforceSummary[]> {
    await auditAggregateRead(this.deps.dataSource, actor, "taskforceSummaries", {}, null);
    const { shown } = await this.consented(actor);
    if (shown.size === 0) return [];
    return this.deps.dataSource.query(
      `SELECT id, "taskforceAgencyId", "areaCode", to_char("weekStarting", 'YYYY-MM-DD') AS "weekStarting", outcome, substances, "knownToServices", "servicesNotified", "actionsAgreed", "completedWithinDeadline"
         FROM taskforce_summary WHERE id = ANY($1::uuid[]) ORDER BY "weekStarting" DESC, id LIMIT 1000`,
      [[...shown]],
    );
  }

  async counts(actor: Actor, filter: TaskforceCountFilter | null | undefined): Promise<TaskforceReviewCounts> {
    const snapped = snapMonths(filter, this.deps.clock.now());
    if ("problems" in snapped) throw badInput(snapped.problems);
    const period: Period = snapped.period;
    await auditAggregateRead(this.deps.dataSource, actor, "taskforceReviewCounts", {}, period);
    const { shown } = await this.consented(actor);
    const known = `s."knownToServices"`;
    const onTime = `s."completedWithinDeadline"`;
    const rows: Array<{ areaCode: string; month: string; n: number; k: string; known: number; knownK: string; onTime: number; onTimeK: string }> = await this.deps.dataSource.query(
      `SELECT s."areaCode", to_char(s."weekStarting", 'YYYY-MM') AS month, count(*)::int AS n, ${keySumSql("s")} AS k,
              count(*) FILTER (WHERE ${known})::int AS known, ${keySumSql("s", known)} AS "knownK",
              count(*) FILTER (WHERE ${onTime})::int AS "onTime", ${keySumSql("s", onTime)} AS "onTimeK"
         FROM taskforce_summary s
        WHERE s."taskforceAgencyId" = $1 AND NOT (s.id = ANY($2::uuid[])) AND s."weekStarting" >= $3::date AND s."weekStarting" < $4::date
        GROUP BY 1, 2 ORDER BY 2 DESC, 1`,
      [actor.agency.id, [...shown], period.from, period.to],
    );
    const rule = this.deps.config.suppression;
    return {
      period,
      rows: rows.map((r) => {
        const reviews = publishCount(r.n, r.k, rule);
        return {
          areaCode: r.areaCode,
          month: r.month,
          reviews,
          // Known to a treatment service is a fact about a person: never "all" or "none" of a group.
          knownToServices: publishCount(r.known, r.knownK, rule, { population: r.n, sensitive: true, parent: reviews }),
          completedWithinDeadline: publishCount(r.onTime, r.onTimeK, rule, { population: r.n, parent: reviews }),
        };
      }),
      suppression: ruleInfo(rule),
    };
  }
}
