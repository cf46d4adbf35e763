import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { type Context, requireActor } from "../../core/context.js";
import { AggregateService } from "./aggregates.service.js";
import { AggregateFilter, AreaCount, AreaCountTable, Heatmap } from "./aggregates.types.js";
import { KpiService } from "./kpi.service.js";
import { InterAgencyKpis, KpiFilter, Kpis } from "./kpi.types.js";

@Resolver()
export class AggregateResolver {
  @Query(() => Heatmap, { description: "Administrations by H3 cell (resolution 5-9, default 7) over whole weeks, small numbers suppressed, with GeoJSON for a map" })
  heatmap(
    @Ctx() ctx: Context,
    @Arg("filter", () => AggregateFilter, { nullable: true, description: "Period, areas, substance, outcome" }) filter: AggregateFilter | null,
    @Arg("resolution", () => Int, { nullable: true, description: "H3 resolution, 5 to 9 (default 7)" }) resolution: number | null,
  ): Promise<Heatmap> {
    return new AggregateService(ctx).heatmap(requireActor(ctx), filter, resolution);
  }

  @Query(() => [AreaCount], { description: "Administrations by area code over whole weeks, small numbers suppressed (each row carries the period; areaCountTable gives it once)" })
  areaCounts(@Ctx() ctx: Context, @Arg("filter", () => AggregateFilter, { nullable: true, description: "Period, areas, substance, outcome" }) filter: AggregateFilter | null): Promise<AreaCount[]> {
    return new AggregateService(ctx).areaCounts(requireActor(ctx), filter);
  }

  @Query(() => AreaCountTable, { description: "Administrations by area code with the period they cover: the same figures as areaCounts" })
  areaCountTable(@Ctx() ctx: Context, @Arg("filter", () => AggregateFilter, { nullable: true, description: "Period, areas, substance, outcome" }) filter: AggregateFilter | null): Promise<AreaCountTable> {
    return new AggregateService(ctx).areaCountTable(requireActor(ctx), filter);
  }

  @Query(() => Kpis, { description: "The evaluation's police-side KPIs over whole weeks, small numbers suppressed" })
  kpis(@Ctx() ctx: Context, @Arg("filter", () => KpiFilter, { nullable: true, description: "Period, areas, recording force" }) filter: KpiFilter | null): Promise<Kpis> {
    return new KpiService(ctx).kpis(requireActor(ctx), filter);
  }
}

@Resolver(() => Kpis)
export class KpisResolver {
  @FieldResolver(() => InterAgencyKpis, { description: "Referrals made, accepted and engaged, time to first contact, 72-hour reviews on time, consent given" })
  interAgency(@Root() kpis: Kpis, @Ctx() ctx: Context): Promise<InterAgencyKpis> {
    return new KpiService(ctx).interAgency(kpis, ctx.clock.now());
  }
}
