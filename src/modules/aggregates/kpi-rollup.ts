import type { DataSource } from "typeorm";
import type { RecurringJob } from "../../core/jobs.js";
import { and } from "./aggregates.service.js";
import { FirstAidItem } from "./kpi.types.js";
import type { Period } from "./period.policy.js";
import { WEEK_EPOCH, WEEK_MS } from "./period.policy.js";

// The KPIs read from the weekly rollup (migration KpiRollup1795360000001): the same figures as the
// plain statement over `incident`, from one row per (week, area, agency, substance) instead of one
// per incident. Percentiles come from the response-minutes histogram, computed exactly as
// PostgreSQL's percentile_cont over the raw integer minutes (same float8 steps: position
// p * (n - 1), the values at its floor and ceiling, lo + (pos - floor(pos)) * (hi - lo)).

/** Stored column of each first-aid item (TypeORM's embedded prefix lower-cases the rest); the rollup uses the same names. */
export const FIRST_AID_COLUMN: Readonly<Record<FirstAidItem, string>> = {
  TRIED_TO_WAKE_VERBALLY: "firstAidTriedtowakeverbally",
  TILTED_HEAD_BACK: "firstAidTiltedheadback",
  CHECKED_BREATHING: "firstAidCheckedbreathing",
  RECOVERY_POSITION: "firstAidRecoveryposition",
  CHEST_COMPRESSIONS: "firstAidChestcompressions",
  RESCUE_BREATHS: "firstAidRescuebreaths",
  CLEARED_AIRWAYS: "firstAidClearedairways",
  CHECKED_PULSE: "firstAidCheckedpulse",
  CHECKED_FOR_RESPONSE: "firstAidCheckedforresponse",
};

export interface KpiRow {
  administrations: number;
  reversed: number;
  doses: number;
  with_first_aid: number;
  responses: number;
  over_target: number;
  median: number | null;
  p90: number | null;
  seen: number;
  resupply: number;
  kits: number;
  [item: string]: number | string | null;
}

export interface KpiScope {
  period: Period;
  areaCodes?: readonly string[] | null;
  agencyCodes?: readonly string[] | null;
  substances?: readonly string[] | null;
}

/** Whether the rollup can answer: whole weeks, and at most one substance (a row is counted once per substance it names). */
export function rollupAnswers(scope: KpiScope): boolean {
  const whole = (d: Date) => (d.getTime() - WEEK_EPOCH.getTime()) % WEEK_MS === 0;
  return whole(scope.period.from) && whole(scope.period.to) && (scope.substances?.length ?? 0) <= 1;
}

const ITEMS = Object.values(FirstAidItem);
/** Counted rollup columns, each with a key sum, and the alias the KPI row gives it. */
const COUNTED: Array<[column: string, alias: string]> = [
  ["administrations", "administrations"],
  ["reversed", "reversed"],
  ["with_first_aid", "with_first_aid"],
  ...ITEMS.map((item): [string, string] => [FIRST_AID_COLUMN[item], item]),
  ["responses", "responses"],
  ["over_target", "over_target"],
  ["seen", "seen"],
  ["resupply", "resupply"],
];

/**
 * The KPI figures of `scope` and, for a substance filter, its population (all administrations of
 * the same period, areas and force): one statement over the rollup.
 */
export async function rollupKpiRow(dataSource: DataSource, scope: KpiScope): Promise<KpiRow & { population: number }> {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where = [`r."weekStart" >= ${p(scope.period.from)}`, `r."weekStart" < ${p(scope.period.to)}`];
  if (scope.areaCodes?.length) where.push(`r."areaCode" = ANY(${p(scope.areaCodes)}::text[])`);
  if (scope.agencyCodes?.length) where.push(`r."agencyId" IN (SELECT a.id FROM agency a WHERE a.code = ANY(${p(scope.agencyCodes)}::text[]))`);
  const substance = p(scope.substances?.[0] ?? "");
  const target = `r.substance = ${substance}::text`;
  const sum = (column: string, alias: string, cast: "int" | "text") => `coalesce(sum(r."${column}") FILTER (WHERE ${target}), 0)::${cast} AS "${alias}"`;
  const [row] = await dataSource.query(
    `WITH m AS (
       SELECT r.minutes, sum(r.n)::bigint AS n FROM kpi_rollup_minutes r WHERE ${and(where)} AND ${target} GROUP BY r.minutes HAVING sum(r.n) > 0),
     c AS (SELECT m.minutes, (sum(m.n) OVER (ORDER BY m.minutes))::float8 AS upto, (sum(m.n) OVER ())::float8 AS total FROM m),
     q AS (SELECT v.p, v.p * (max(c.total) - 1) AS pos FROM c, (VALUES (0.5::float8), (0.9::float8)) v(p) GROUP BY v.p),
     pct AS (
       SELECT q.p, lo.minutes::float8 + ((q.pos - floor(q.pos)) * (hi.minutes::float8 - lo.minutes::float8)) AS v FROM q
        CROSS JOIN LATERAL (SELECT c.minutes FROM c WHERE c.upto > floor(q.pos) ORDER BY c.minutes LIMIT 1) lo
        CROSS JOIN LATERAL (SELECT c.minutes FROM c WHERE c.upto > ceil(q.pos) ORDER BY c.minutes LIMIT 1) hi)
     SELECT ${COUNTED.map(([column, alias]) => `${sum(column, alias, "int")}, ${sum(`k_${column}`, `k_${alias}`, "text")}`).join(",\n            ")},
            ${sum("doses", "doses", "int")}, ${sum("kits", "kits", "int")},
            (SELECT pct.v FROM pct WHERE pct.p = 0.5) AS median, (SELECT pct.v FROM pct WHERE pct.p = 0.9) AS p90,
            coalesce(sum(r.administrations) FILTER (WHERE r.substance = ''), 0)::int AS population
       FROM kpi_rollup r WHERE ${and(where)} AND r.substance IN ('', ${substance}::text)`,
    params,
  );
  return row;
}

/**
 * Folds each key's delta rows (appended by the triggers) into one row; a key whose figures net to
 * nothing disappears. One statement per table, so a reader sees either the deltas or their sum;
 * deltas committed after it started stay for the next run. Returns the delta rows folded.
 */
export async function compactKpiRollup(dataSource: DataSource): Promise<number> {
  const key = [`"weekStart"`, `"areaCode"`, `"agencyId"`, `"substance"`];
  const values = [...COUNTED.flatMap(([c]) => [`"${c}"`, `"k_${c}"`]), `"doses"`, `"kits"`];
  const fold = async (table: string, keyCols: string[], valueCols: string[], keep: string) => {
    const [row] = await dataSource.query(
      `WITH keys AS (SELECT DISTINCT ${keyCols.join(", ")} FROM ${table} WHERE NOT compacted),
            d AS (DELETE FROM ${table} t USING keys k WHERE ${keyCols.map((c) => `t.${c} = k.${c}`).join(" AND ")} RETURNING t.*),
            ins AS (INSERT INTO ${table} (${keyCols.join(", ")}, ${valueCols.join(", ")}, compacted)
                    SELECT ${keyCols.join(", ")}, ${valueCols.map((c) => `sum(${c})`).join(", ")}, true FROM d GROUP BY ${keyCols.join(", ")} HAVING ${keep} RETURNING 1)
       SELECT (SELECT count(*) FROM d)::int AS folded`,
    );
    return row.folded as number;
  };
  const a = await fold("kpi_rollup", key, values, `sum("administrations") <> 0`);
  const b = await fold("kpi_rollup_minutes", [...key, `"minutes"`], [`"n"`], `sum("n") <> 0`);
  return a + b;
}

export function kpiRollupJob(deps: { dataSource: DataSource }): RecurringJob {
  return { name: "kpi-rollup-compact", cron: "* * * * *", run: () => compactKpiRollup(deps.dataSource) };
}
