import { Arg, Ctx, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../core/context.js";
import { unauthenticated } from "../../core/errors.js";
import { Topic, type TopicPayloads } from "../../core/pubsub.js";
import { alertReaches } from "./alert.policy.js";
import { AlertService } from "./alert.service.js";
import { AlertFilter, SpikeAlert } from "./alert.types.js";

const actorOf = (ctx: Context) => ctx.actor ?? (() => { throw unauthenticated(); })();

@Resolver(() => SpikeAlert)
export class AlertResolver {
  @Query(() => [SpikeAlert], { description: "Spike alerts in the areas your agency serves, newest first (at most 500)" })
  alerts(@Ctx() ctx: Context, @Arg("filter", () => AlertFilter, { nullable: true }) filter: AlertFilter | null): Promise<SpikeAlert[]> {
    return new AlertService(ctx).list(actorOf(ctx), filter);
  }

  @Subscription(() => SpikeAlert, {
    topics: Topic.ALERT_RAISED,
    // Only alerts in areas the subscriber's agency serves (and, if given, the areas it asked for).
    filter: ({ payload, args, context }: { payload: TopicPayloads["ALERT_RAISED"]; args: { areaCodes?: string[] | null }; context: Context }) =>
      alertReaches(context.actor, payload.areaCode, args.areaCodes),
    description: "A new spike alert in an area your agency serves",
  })
  alertRaised(
    @Root() payload: TopicPayloads["ALERT_RAISED"],
    @Ctx() ctx: Context,
    @Arg("areaCodes", () => [String], { nullable: true }) _areaCodes: string[] | null,
  ): Promise<SpikeAlert> {
    return new AlertService(ctx).byId(actorOf(ctx), payload.alertId);
  }
}
