import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { type Context, requireActor } from "../../core/context.js";
import { ServiceFiguresService } from "./service-figures.service.js";
import { ServiceFigures, ServiceFiguresFilter } from "./service-figures.types.js";

@Resolver()
export class ServiceFiguresResolver {
  @Query(() => ServiceFigures, { description: "Your agency's own referral figures by month (inbox roles): received, accepted, engaged, time to first contact; small numbers suppressed" })
  serviceFigures(@Ctx() ctx: Context, @Arg("filter", () => ServiceFiguresFilter, { nullable: true, description: "The months; default the last 12" }) filter: ServiceFiguresFilter | null): Promise<ServiceFigures> {
    return new ServiceFiguresService(ctx).figures(requireActor(ctx), filter);
  }
}
