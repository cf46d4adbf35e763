import type { Actor } from "../../core/auth/actor.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, type InputProblem } from "../../core/errors.js";
import { auditAggregateRead, checkAreaScope } from "./aggregate-read.js";
import { cellsToGeoJson, checkResolution, checkUnionFilter, HEATMAP_RESOLUTIONS } from "./aggregates.policy.js";
import type { AggregateFilter, AreaCount, AreaCountTable, Heatmap } from "./aggregates.types.js";
import { snapWeeks, type Period } from "./period.policy.js";
import { keySumSql, publishCount, ruleInfo } from "./suppression.policy.js";

/** The stored H3 column for each resolution: a fixed map, never interpolated from input. */
const CELL_COLUMN: Readonly<Record<number, string>> = { 5: "h3r5", 6: "h3r6", 7: "h3r7", 8: "h3r8", 9: "h3r9" };

type IncidentFilter = { from?: Date | null; to?: Date | null; areaCodes?: string[] | null; substances?: string[] | null; outcome?: string | null };

/**
 * WHERE conditions for the common aggregate filter, with positional parameters appended to
 * `params`. Shared by every aggregate over incidents so they all mean the same thing by a filter.
 */
export function incidentConditions(filter: IncidentFilter | null | undefined, params: unknown[], alias = "i"): string[] {
  return [...populationConditions(filter, params, alias), ...attributeConditions(filter, params, alias)];
}

/** The population part of a filter: period and areas. */
export function populationConditions(filter: Pick<IncidentFilter, "from" | "to" | "areaCodes"> | null | undefined, params: unknown[], alias = "i"): string[] {
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (filter?.from) where.push(`${alias}."occurredAt" >= ${p(filter.from)}`);
  if (filter?.to) where.push(`${alias}."occurredAt" < ${p(filter.to)}`);
  if (filter?.areaCodes?.length) where.push(`${alias}."areaCode" = ANY(${p(filter.areaCodes)}::text[])`);
  return where;
}

/**
 * The attribute part (substance, outcome): a count under it is a part of the same cell's
 * population, published with that population (a part of a small population is hidden, 0 included).
 */
export function attributeConditions(filter: Pick<IncidentFilter, "substances" | "outcome"> | null | undefined, params: unknown[], alias = "i"): string[] {
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (filter?.substances?.length) where.push(`${alias}.substances && ${p(filter.substances)}::substance[]`);
  if (filter?.outcome) where.push(`${alias}.outcome = ${p(filter.outcome)}::outcome`);
  return where;
}

export const and = (where: string[]) => (where.length ? where.join(" AND ") : "TRUE");

/** The filter's checks, its snapped period, the area scope and the audit row: what every incident aggregate does first. */
export async function openAggregate(
  deps: Pick<ServiceDeps, "dataSource" | "clock">,
  actor: Actor,
  operation: string,
  filter: (IncidentFilter & { agencyCodes?: string[] | null }) | null | undefined,
  opts: { union: boolean; extraProblems?: InputProblem[]; audit?: Record<string, unknown> },
): Promise<Period> {
  const snapped = snapWeeks(filter, deps.clock.now());
  const problems = [...(opts.extraProblems ?? []), ...checkUnionFilter(filter), ...("problems" in snapped ? snapped.problems : [])];
  if (problems.length) throw badInput(problems);
  if (opts.union) await checkAreaScope(deps.dataSource, filter?.areaCodes);
  const { period } = snapped as { period: Period };
  await auditAggregateRead(deps.dataSource, actor, operation, { ...filter, ...opts.audit }, period);
  return period;
}

/** Heat map and area counts: counted by PostgreSQL in one GROUP BY each, never by loading incidents. */
export class AggregateService {
  constructor(private readonly deps: Pick<ServiceDeps, "dataSource" | "config" | "clock">) {}

  async heatmap(actor: Actor, filter: AggregateFilter | null | undefined, resolution: number | null | undefined): Promise<Heatmap> {
    const res = resolution ?? HEATMAP_RESOLUTIONS.default;
    const period = await openAggregate(this.deps, actor, "heatmap", filter, { union: true, extraProblems: checkResolution(resolution), audit: { resolution: res } });
    const column = CELL_COLUMN[res];
    const params: unknown[] = [];
    const where = [`i.${column} IS NOT NULL`, ...populationConditions({ ...filter, ...period }, params)];
    const attr = attributeConditions(filter, params);
    const matched = attr.length ? and(attr) : null;
    // One statement: each cell and the total (the empty grouping set), each with its population
    // (the same cell without the substance/outcome filter) and its records' key sum.
    const rows: Array<{ h3: string | null; population: number; n: number; k: string }> = await this.deps.dataSource.query(
      `SELECT i.${column} AS h3, count(*)::int AS population,
              ${matched ? `count(*) FILTER (WHERE ${matched})` : "count(*)"}::int AS n, ${keySumSql("i", matched ?? undefined)} AS k
         FROM incident i WHERE ${and(where)}
        GROUP BY GROUPING SETS ((i.${column}), ()) ORDER BY i.${column} NULLS LAST`,
      params,
    );
    const rule = this.deps.config.suppression;
    const publish = (r: { population: number; n: number; k: string }) => publishCount(r.n, r.k, rule, matched ? { population: r.population } : undefined);
    const totalRow = rows.find((r) => r.h3 === null) ?? { population: 0, n: 0, k: "0" };
    // A cell whose filtered count is 0 is left out as on any map, unless its population is small:
    // then it is listed hidden, exactly as in the unfiltered map, so the filter tells nothing.
    const cells = rows
      .filter((r): r is typeof r & { h3: string } => r.h3 !== null)
      .map((r) => ({ h3: r.h3, ...publish(r) }))
      .filter((c) => c.count !== 0);
    // GeoJSON (a polygon per cell, costlier than the query itself) is built only if the client asks for it.
    return {
      period,
      resolution: res,
      cells,
      total: publish(totalRow),
      get geojson() {
        return cellsToGeoJson(cells);
      },
      suppression: ruleInfo(rule),
    };
  }

  async areaCountTable(actor: Actor, filter: AggregateFilter | null | undefined, operation = "areaCountTable"): Promise<AreaCountTable> {
    // Each area is its own cell: any list of areas may be asked for, and no total over them is published.
    const period = await openAggregate(this.deps, actor, operation, filter, { union: false });
    const params: unknown[] = [];
    const attr = attributeConditions(filter, params);
    const matched = attr.length ? and(attr) : null;
    const where = populationConditions({ ...filter, ...period }, params);
    const rows: Array<{ areaCode: string; population: number; n: number; k: string }> = await this.deps.dataSource.query(
      `SELECT i."areaCode", count(*)::int AS population, ${matched ? `count(*) FILTER (WHERE ${matched})` : "count(*)"}::int AS n, ${keySumSql("i", matched ?? undefined)} AS k
         FROM incident i WHERE ${and(where)} GROUP BY i."areaCode"`,
      params,
    );
    const byArea = new Map(rows.map((r) => [r.areaCode, r]));
    // Areas asked for but with nothing recorded are a published zero, not a missing row.
    for (const a of filter?.areaCodes ?? []) if (!byArea.has(a)) byArea.set(a, { areaCode: a, population: 0, n: 0, k: "0" });
    const rule = this.deps.config.suppression;
    const areas: AreaCount[] = [...byArea.keys()].sort().map((areaCode) => {
      const r = byArea.get(areaCode)!;
      return { areaCode, period, ...publishCount(r.n, r.k, rule, matched ? { population: r.population } : undefined) };
    });
    return { period, areas, suppression: ruleInfo(rule) };
  }

  async areaCounts(actor: Actor, filter: AggregateFilter | null | undefined): Promise<AreaCount[]> {
    return (await this.areaCountTable(actor, filter, "areaCounts")).areas;
  }
}
