import type { ServiceDeps } from "../../core/context.js";
import { badInput } from "../../core/errors.js";
import { checkPeriod } from "./aggregates.policy.js";
import { incidentConditions } from "./aggregates.service.js";
import type { AggregateFilter } from "./aggregates.types.js";
import { publishGroup } from "./suppression.policy.js";
import type { WeeklySeries } from "./weekly.types.js";

const WEEK_MS = 7 * 24 * 3600_000;

/** Monday 00:00 UTC of the week holding `d` (what date_trunc('week', …) gives at UTC). */
export function weekStartOf(d: Date): Date {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 24 * 3600_000);
}

/**
 * Every week from the first to the last (both Mondays), so a chart gets a continuous axis and a week
 * with nothing recorded is a published 0 rather than a gap. At most `max` weeks.
 */
export function weeksBetween(first: Date, last: Date, max = 520): Date[] {
  const out: Date[] = [];
  for (let t = first.getTime(); t <= last.getTime() && out.length < max; t += WEEK_MS) out.push(new Date(t));
  return out;
}

/** Administrations by week: one GROUP BY date_trunc('week') in PostgreSQL, then the small-number rule. */
export class WeeklyService {
  constructor(private readonly deps: Pick<ServiceDeps, "dataSource" | "config">) {}

  async administrationsByWeek(filter: AggregateFilter | null | undefined): Promise<WeeklySeries> {
    const problems = checkPeriod(filter);
    if (problems.length) throw badInput(problems);
    const params: unknown[] = [];
    const where = incidentConditions(filter, params);
    const rows: Array<{ week: Date; n: number }> = await this.deps.dataSource.query(
      `SELECT date_trunc('week', i."occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS week, count(*)::int AS n
         FROM incident i WHERE ${where.length ? where.join(" AND ") : "TRUE"}
        GROUP BY 1 ORDER BY 1`,
      params,
    );
    const counts = new Map(rows.map((r) => [new Date(r.week).getTime(), r.n]));
    // The span: the filter's period when given, else the first to the last week with data.
    const first = filter?.from ? weekStartOf(filter.from) : rows.length ? new Date(rows[0].week) : null;
    const last = filter?.to ? weekStartOf(new Date(filter.to.getTime() - 1)) : rows.length ? new Date(rows[rows.length - 1].week) : null;
    const weeks = first && last ? weeksBetween(first, last) : [];
    // Weeks and their total are one group (the total is also kpis.administrations): suppressed together.
    const published = publishGroup(weeks.map((w) => counts.get(w.getTime()) ?? 0), this.deps.config.suppression);
    return {
      weeks: weeks.map((w, k) => ({ weekStart: w.toISOString().slice(0, 10), administrations: published.parts[k] })),
      total: published.total,
      suppression: { ...this.deps.config.suppression },
    };
  }
}
