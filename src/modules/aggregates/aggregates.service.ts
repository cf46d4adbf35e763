import type { ServiceDeps } from "../../core/context.js";
import { badInput } from "../../core/errors.js";
import { cellsToGeoJson, checkPeriod, checkResolution, HEATMAP_RESOLUTIONS } from "./aggregates.policy.js";
import type { AggregateFilter, AreaCount, Heatmap } from "./aggregates.types.js";
import { publishGroup } from "./suppression.policy.js";

/** The stored H3 column for each resolution: a fixed map, never interpolated from input. */
const CELL_COLUMN: Readonly<Record<number, string>> = { 5: "h3r5", 6: "h3r6", 7: "h3r7", 8: "h3r8", 9: "h3r9" };

/**
 * WHERE conditions for the common aggregate filter, with positional parameters appended to
 * `params`. Shared by every aggregate over incidents so they all mean the same thing by a filter.
 */
export function incidentConditions(
  filter: { from?: Date | null; to?: Date | null; areaCodes?: string[] | null; substances?: string[] | null; outcome?: string | null } | null | undefined,
  params: unknown[],
  alias = "i",
): string[] {
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (filter?.from) where.push(`${alias}."occurredAt" >= ${p(filter.from)}`);
  if (filter?.to) where.push(`${alias}."occurredAt" < ${p(filter.to)}`);
  if (filter?.areaCodes) where.push(`${alias}."areaCode" = ANY(${p(filter.areaCodes)}::text[])`);
  if (filter?.substances?.length) where.push(`${alias}.substances && ${p(filter.substances)}::substance[]`);
  if (filter?.outcome) where.push(`${alias}.outcome = ${p(filter.outcome)}::outcome`);
  return where;
}

const and = (where: string[]) => (where.length ? where.join(" AND ") : "TRUE");

/** Heat map and area counts: counted by PostgreSQL in one GROUP BY each, never by loading incidents. */
export class AggregateService {
  constructor(private readonly deps: Pick<ServiceDeps, "dataSource" | "config">) {}

  async heatmap(filter: AggregateFilter | null | undefined, resolution: number | null | undefined): Promise<Heatmap> {
    const problems = [...checkResolution(resolution), ...checkPeriod(filter)];
    if (problems.length) throw badInput(problems);
    const res = resolution ?? HEATMAP_RESOLUTIONS.default;
    const column = CELL_COLUMN[res];
    const params: unknown[] = [];
    const where = [`i.${column} IS NOT NULL`, ...incidentConditions(filter, params)];
    const rows: Array<{ h3: string; n: number }> = await this.deps.dataSource.query(
      `SELECT i.${column} AS h3, count(*)::int AS n FROM incident i WHERE ${and(where)} GROUP BY i.${column} ORDER BY i.${column}`,
      params,
    );
    const rule = this.deps.config.suppression;
    const published = publishGroup(rows.map((r) => r.n), rule);
    const cells = rows.map((r, k) => ({ h3: r.h3, ...published.parts[k] }));
    // GeoJSON (a polygon per cell, costlier than the query itself) is built only if the client asks for it.
    return {
      resolution: res,
      cells,
      total: published.total,
      get geojson() {
        return cellsToGeoJson(cells);
      },
      suppression: { ...rule },
    };
  }

  async areaCounts(filter: AggregateFilter | null | undefined): Promise<AreaCount[]> {
    const problems = checkPeriod(filter);
    if (problems.length) throw badInput(problems);
    const params: unknown[] = [];
    const rows: Array<{ areaCode: string; n: number }> = await this.deps.dataSource.query(
      `SELECT i."areaCode", count(*)::int AS n FROM incident i WHERE ${and(incidentConditions(filter, params))} GROUP BY i."areaCode"`,
      params,
    );
    const counts = new Map(rows.map((r) => [r.areaCode, r.n]));
    // Areas asked for but with nothing recorded are a published zero, not a missing row.
    for (const a of filter?.areaCodes ?? []) if (!counts.has(a)) counts.set(a, 0);
    const areas = [...counts.keys()].sort();
    // The areas' total is published elsewhere (kpis administrations), so they are suppressed as a group.
    const published = publishGroup(areas.map((a) => counts.get(a)!), this.deps.config.suppression);
    return areas.map((areaCode, k) => ({ areaCode, ...published.parts[k] }));
  }
}
