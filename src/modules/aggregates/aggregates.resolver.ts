import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../core/context.js";
import { AggregateService } from "./aggregates.service.js";
import { AggregateFilter, AreaCount, Heatmap } from "./aggregates.types.js";
import { KpiService } from "./kpi.service.js";
import { KpiFilter, Kpis } from "./kpi.types.js";

@Resolver()
export class AggregateResolver {
  @Query(() => Heatmap, { description: "Administrations by H3 cell (resolution 5-9, default 7), small numbers suppressed, with GeoJSON for a map" })
  heatmap(
    @Ctx() ctx: Context,
    @Arg("filter", () => AggregateFilter, { nullable: true }) filter: AggregateFilter | null,
    @Arg("resolution", () => Int, { nullable: true }) resolution: number | null,
  ): Promise<Heatmap> {
    return new AggregateService(ctx).heatmap(filter, resolution);
  }

  @Query(() => [AreaCount], { description: "Administrations by area code, small numbers suppressed" })
  areaCounts(@Ctx() ctx: Context, @Arg("filter", () => AggregateFilter, { nullable: true }) filter: AggregateFilter | null): Promise<AreaCount[]> {
    return new AggregateService(ctx).areaCounts(filter);
  }

  @Query(() => Kpis, { description: "The evaluation's police-side KPIs, small numbers suppressed" })
  kpis(@Ctx() ctx: Context, @Arg("filter", () => KpiFilter, { nullable: true }) filter: KpiFilter | null): Promise<Kpis> {
    return new KpiService(ctx).kpis(filter);
  }
}
