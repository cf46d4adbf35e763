import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { type Context, requireActor } from "../../core/context.js";
import { AggregateFilter } from "./aggregates.types.js";
import { WeeklyService } from "./weekly.service.js";
import { WeeklySeries } from "./weekly.types.js";

@Resolver()
export class WeeklyResolver {
  @Query(() => WeeklySeries, { description: "Administrations by week (Monday 00:00 UTC), small numbers suppressed" })
  administrationsByWeek(@Ctx() ctx: Context, @Arg("filter", () => AggregateFilter, { nullable: true, description: "Period, areas, substance, outcome" }) filter: AggregateFilter | null): Promise<WeeklySeries> {
    return new WeeklyService(ctx).administrationsByWeek(requireActor(ctx), filter);
  }
}
