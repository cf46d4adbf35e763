import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { loadRequired, type Context } from "../../core/context.js";
import { Agency } from "../agencies/agency.entity.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { Route } from "./route.entity.js";
import { RouteService } from "./route.service.js";
import { ConfigureRouteInput } from "./route.types.js";

@Resolver(() => Route)
export class RouteResolver {
  @Query(() => [Route], { description: "Configured referral routes, optionally for one area (ADMIN)" })
  routes(@Arg("areaCode", () => String, { nullable: true }) areaCode: string | null, @Ctx() ctx: Context): Promise<Route[]> {
    return new RouteService(ctx.dataSource).list(areaCode);
  }

  @Mutation(() => Route, { description: "Create or replace the target of a pathway in an area (ADMIN)" })
  configureRoute(@Arg("input", () => ConfigureRouteInput) input: ConfigureRouteInput, @Ctx() ctx: Context): Promise<Route> {
    return new RouteService(ctx.dataSource).configure(ctx.actor, input);
  }

  @FieldResolver(() => Agency)
  async targetAgency(@Root() route: Route, @Ctx() ctx: Context): Promise<Agency> {
    return loadRequired(agencyById(ctx), route.targetAgencyId, "route target agency");
  }
}
