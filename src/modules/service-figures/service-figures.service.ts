import type { Actor } from "../../core/auth/actor.js";
import { writeAudit } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput } from "../../core/errors.js";
import { Agency } from "../agencies/agency.entity.js";
import { parseDate } from "../incidents/incident.policy.js";
import { monthPeriod, publishMonth, shareOf } from "./disclosure.adapter.js";
import type { ServiceFigureCounts, ServiceFigures, ServiceFiguresFilter } from "./service-figures.types.js";

/** At most this many months in one answer. */
export const SERVICE_FIGURES_MAX_MONTHS = 60;

interface MonthRow {
  month: string;
  received: number;
  accepted: number;
  engaged: number;
  contacted: number;
  median: number | null;
  k_received: string;
  k_accepted: string;
  k_engaged: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

export class ServiceFiguresService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The calling agency's own referrals by month of receipt: received, accepted and engaged (ever
   * reached, from the event history), and the median hours to first contact. Months, their parts
   * and the total are each published from their own referrals by cell key (docs/disclosure.md), so
   * no hidden figure can be worked out from the others. Audited as AGGREGATE_READ.
   */
  async figures(actor: Actor, filter: ServiceFiguresFilter | null | undefined): Promise<ServiceFigures> {
    const now = this.deps.clock.now();
    const problems = (["from", "to"] as const).filter((k) => filter?.[k] && !parseDate(filter[k]!)).map((k) => ({ field: `filter.${k}`, rule: "must be a real calendar date" }));
    if (problems.length) throw badInput(problems);
    const to = filter?.to ? parseDate(filter.to)! : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const from = filter?.from ? parseDate(filter.from)! : new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 12, 1));
    if (from >= to) throw badInput([{ field: "filter.to", rule: "must be after from" }]);
    const period = monthPeriod(from, to);
    const months: string[] = [];
    for (let d = period.from; d < period.to; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) months.push(iso(d).slice(0, 7));
    if (months.length > SERVICE_FIGURES_MAX_MONTHS) throw badInput([{ field: "filter", rule: `covers at most ${SERVICE_FIGURES_MAX_MONTHS} months` }]);

    const rows: MonthRow[] = await this.deps.dataSource.query(
      `WITH ref AS (
         SELECT to_char(date_trunc('month', r."createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, r."createdAt", r."firstContactAt", r."recordKey",
                EXISTS (SELECT 1 FROM referral_event e WHERE e."referralId" = r.id AND e.type = 'ACCEPTED') AS accepted,
                EXISTS (SELECT 1 FROM referral_event e WHERE e."referralId" = r.id AND e.type = 'ENGAGED') AS engaged
           FROM referral r WHERE r."toAgencyId" = $1 AND r."createdAt" >= $2 AND r."createdAt" < $3
       )
       SELECT month, count(*)::int AS received, count(*) FILTER (WHERE accepted)::int AS accepted, count(*) FILTER (WHERE engaged)::int AS engaged,
              count("firstContactAt")::int AS contacted,
              coalesce(sum("recordKey"), 0)::text AS k_received, coalesce(sum("recordKey") FILTER (WHERE accepted), 0)::text AS k_accepted,
              coalesce(sum("recordKey") FILTER (WHERE engaged), 0)::text AS k_engaged,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "firstContactAt" - "createdAt") / 3600) FILTER (WHERE "firstContactAt" IS NOT NULL)::float8 AS median
         FROM ref GROUP BY month
       UNION ALL
       SELECT 'total', count(*)::int, count(*) FILTER (WHERE accepted)::int, count(*) FILTER (WHERE engaged)::int, count("firstContactAt")::int,
              coalesce(sum("recordKey"), 0)::text, coalesce(sum("recordKey") FILTER (WHERE accepted), 0)::text, coalesce(sum("recordKey") FILTER (WHERE engaged), 0)::text,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "firstContactAt" - "createdAt") / 3600) FILTER (WHERE "firstContactAt" IS NOT NULL)::float8
         FROM ref`,
      [actor.agency.id, period.from, period.to],
    );
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    const zero = (month: string): MonthRow => ({ month, received: 0, accepted: 0, engaged: 0, contacted: 0, median: null, k_received: "0", k_accepted: "0", k_engaged: "0" });
    const table = [...months.map((m) => byMonth.get(m) ?? zero(m)), byMonth.get("total") ?? zero("total")];

    // Each month and the total are published from their own referrals (the total is never a sum
    // of published months), so no hidden month follows from the others.
    const rule = this.deps.config.suppression;
    const counts = (i: number): ServiceFigureCounts => {
      const r = table[i];
      const p = publishMonth({ ...r, keys: { received: r.k_received, accepted: r.k_accepted, engaged: r.k_engaged } }, rule);
      return {
        received: p.received,
        accepted: p.accepted,
        engaged: p.engaged,
        acceptedShare: shareOf(p.accepted, p.received),
        engagedShare: shareOf(p.engaged, p.received),
        medianHoursToFirstContact: p.median,
      };
    };
    const T = months.length; // index of the total row
    const agency = await this.deps.dataSource.getRepository(Agency).findOneByOrFail({ id: actor.agency.id });
    const result: ServiceFigures = {
      agency,
      months: months.map((month, i) => ({ month, ...counts(i) })),
      total: counts(T),
      period: { from: iso(period.from), to: iso(period.to) },
      suppression: { ...this.deps.config.suppression },
    };
    await this.deps.dataSource.transaction((m) =>
      writeAudit(m, actor, { action: "AGGREGATE_READ", entityType: "ServiceFigures", entityId: actor.agency.id, detail: { operation: "serviceFigures", from: result.period.from, to: result.period.to } }),
    );
    return result;
  }
}
