import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { type Context, loadRequired, requireActor } from "../../core/context.js";
import { Topic, type TopicPayloads } from "../../core/pubsub.js";
import { eventReaches, reach } from "../../permissions/reach.js";
import { Agency } from "../agencies/agency.entity.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { Incident } from "../incidents/incident.entity.js";
import { Person } from "../people/person.entity.js";
import { personById } from "../people/person.loaders.js";
import { Referral, ReferralEvent } from "./referral.entity.js";
import { eventsByReferral, incidentById } from "./referral.loaders.js";
import { ReferralService } from "./referral.service.js";
import { isOverdue } from "./referral.state.js";
import { ContactAttemptInput, ReferralConnection, ReferralFilter, ReferralOutcome, ReferralSort } from "./referral.types.js";

const service = (ctx: Context) => new ReferralService(ctx);

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => ReferralConnection, { description: "Your agency's referral inbox, soonest due first" })
  referrals(
    @Ctx() ctx: Context,
    @Arg("filter", () => ReferralFilter, { nullable: true }) filter: ReferralFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("sort", () => ReferralSort, { nullable: true, description: "Order of the page (default DUE_AT_ASC)" }) sort: ReferralSort | null,
  ): Promise<ReferralConnection> {
    return service(ctx).inbox(requireActor(ctx), filter, first, after, sort);
  }

  @Query(() => Referral, { nullable: true, description: "A referral sent to or from your agency; NOT_FOUND otherwise" })
  referral(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Referral> {
    return service(ctx).get(requireActor(ctx), id);
  }

  @Mutation(() => Referral)
  acceptReferral(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Referral> {
    return service(ctx).accept(requireActor(ctx), id);
  }

  @Mutation(() => Referral)
  declineReferral(@Arg("id", () => ID) id: string, @Arg("reason") reason: string, @Ctx() ctx: Context): Promise<Referral> {
    return service(ctx).decline(requireActor(ctx), id, reason);
  }

  @Mutation(() => Referral, { description: "Record an attempt to contact the person; outcome ENGAGED marks the referral ENGAGED" })
  recordContactAttempt(@Arg("id", () => ID) id: string, @Arg("input", () => ContactAttemptInput) input: ContactAttemptInput, @Ctx() ctx: Context): Promise<Referral> {
    return service(ctx).recordContactAttempt(requireActor(ctx), id, input);
  }

  @Mutation(() => Referral, { description: "Pass the person on to a treatment service (consent must cover it); this referral closes as FORWARDED" })
  forwardReferral(@Arg("id", () => ID) id: string, @Arg("toAgencyCode") toAgencyCode: string, @Ctx() ctx: Context): Promise<Referral> {
    return service(ctx).forward(requireActor(ctx), id, toAgencyCode);
  }

  @Mutation(() => Referral)
  closeReferral(@Arg("id", () => ID) id: string, @Arg("outcome", () => ReferralOutcome) outcome: ReferralOutcome, @Ctx() ctx: Context): Promise<Referral> {
    return service(ctx).close(requireActor(ctx), id, outcome);
  }

  @Subscription(() => Referral, {
    description: "Referrals arriving in your agency's inbox",
    topics: Topic.REFERRAL_RECEIVED,
    filter: ({ payload, context }: { payload: TopicPayloads["REFERRAL_RECEIVED"]; context: Context }) => eventReaches(reach.referralToAct, context.actor, { toAgencyId: payload.toAgencyId }),
  })
  async referralReceived(@Root() payload: TopicPayloads["REFERRAL_RECEIVED"], @Ctx() ctx: Context): Promise<Referral> {
    return service(ctx).get(requireActor(ctx), payload.referralId);
  }

  @FieldResolver(() => Boolean, { description: "Past its due time while still awaiting contact" })
  overdue(@Root() r: Referral, @Ctx() ctx: Context): boolean {
    return isOverdue(r.status, r.dueAt, ctx.clock.now());
  }

  @FieldResolver(() => Incident)
  async incident(@Root() r: Referral, @Ctx() ctx: Context): Promise<Incident> {
    return loadRequired(incidentById(ctx), r.incidentId, "referral incident");
  }

  @FieldResolver(() => Person, { description: "The person (identifying fields need consent for your purpose)" })
  async person(@Root() r: Referral, @Ctx() ctx: Context): Promise<Person> {
    return loadRequired(personById(ctx), r.personId, "referral person");
  }

  @FieldResolver(() => Agency)
  async fromAgency(@Root() r: Referral, @Ctx() ctx: Context): Promise<Agency> {
    return loadRequired(agencyById(ctx), r.fromAgencyId, "referral agency");
  }

  @FieldResolver(() => Agency)
  async toAgency(@Root() r: Referral, @Ctx() ctx: Context): Promise<Agency> {
    return loadRequired(agencyById(ctx), r.toAgencyId, "referral agency");
  }

  @FieldResolver(() => [ReferralEvent])
  events(@Root() r: Referral, @Ctx() ctx: Context): Promise<ReferralEvent[]> {
    return eventsByReferral(ctx).load(r.id);
  }
}
