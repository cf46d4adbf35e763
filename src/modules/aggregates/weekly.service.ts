import type { Actor } from "../../core/auth/actor.js";
import type { ServiceDeps } from "../../core/context.js";
import { and, attributeConditions, openAggregate, populationConditions } from "./aggregates.service.js";
import type { AggregateFilter } from "./aggregates.types.js";
import { weeksOf } from "./period.policy.js";
import { keySumSql, publishCount, ruleInfo } from "./suppression.policy.js";
import type { WeeklySeries } from "./weekly.types.js";

export { weekStartOf } from "./period.policy.js";

const WEEK_SQL = `(date_trunc('week', i."occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

/** Administrations by week: one GROUP BY date_trunc('week') in PostgreSQL, then the small-number rule. */
export class WeeklyService {
  constructor(private readonly deps: Pick<ServiceDeps, "dataSource" | "config" | "clock">) {}

  async administrationsByWeek(actor: Actor, filter: AggregateFilter | null | undefined): Promise<WeeklySeries> {
    const period = await openAggregate(this.deps, actor, "administrationsByWeek", filter, { union: true });
    const params: unknown[] = [];
    const where = populationConditions({ ...filter, ...period }, params);
    const attr = attributeConditions(filter, params);
    const matched = attr.length ? and(attr) : null;
    // Each week, and the period's total from its own records (the empty grouping set).
    const rows: Array<{ week: Date | null; population: number; n: number; k: string }> = await this.deps.dataSource.query(
      `SELECT ${WEEK_SQL} AS week, count(*)::int AS population,
              ${matched ? `count(*) FILTER (WHERE ${matched})` : "count(*)"}::int AS n, ${keySumSql("i", matched ?? undefined)} AS k
         FROM incident i WHERE ${and(where)}
        GROUP BY GROUPING SETS ((${WEEK_SQL}), ()) ORDER BY 1 NULLS LAST`,
      params,
    );
    const rule = this.deps.config.suppression;
    const publish = (r: { population: number; n: number; k: string } | undefined) =>
      r ? publishCount(r.n, r.k, rule, matched ? { population: r.population } : undefined) : publishCount(0, 0, rule);
    const byWeek = new Map(rows.filter((r) => r.week !== null).map((r) => [new Date(r.week!).getTime(), r]));
    // Without a period asked for, the series runs from the first to the last week with records.
    let weeks = weeksOf(period);
    if (!filter?.from && !filter?.to) {
      const withData = weeks.filter((w) => byWeek.has(w.getTime()));
      weeks = withData.length ? weeks.filter((w) => w >= withData[0] && w <= withData[withData.length - 1]) : [];
    }
    return {
      period,
      weeks: weeks.map((w) => ({ weekStart: w.toISOString().slice(0, 10), administrations: publish(byWeek.get(w.getTime())) })),
      total: publish(rows.find((r) => r.week === null)),
      suppression: ruleInfo(rule),
    };
  }
}
