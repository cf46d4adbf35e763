import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../core/context.js";
import { AggregateService } from "./aggregates.service.js";
import { AggregateFilter, AreaCount, Heatmap } from "./aggregates.types.js";
import { KpiService } from "./kpi.service.js";
import { InterAgencyKpis, KpiFilter, Kpis } from "./kpi.types.js";

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

@Resolver(() => Kpis)
export class KpisResolver {
  @FieldResolver(() => InterAgencyKpis, { description: "Referrals made, accepted and engaged, time to first contact, 72-hour reviews on time, consent given" })
  interAgency(@Root() kpis: Kpis, @Ctx() ctx: Context): Promise<InterAgencyKpis> {
    return new KpiService(ctx).interAgency(kpis.filter, ctx.clock.now());
  }
}
