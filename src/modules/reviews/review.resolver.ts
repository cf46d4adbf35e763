import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { type Context, loadRequired, requireActor } from "../../core/context.js";
import { Topic, type TopicPayloads } from "../../core/pubsub.js";
import { eventReaches, reach } from "../../permissions/reach.js";
import { Agency } from "../agencies/agency.entity.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { Incident } from "../incidents/incident.entity.js";
import { Person } from "../people/person.entity.js";
import { personById } from "../people/person.loaders.js";
import { incidentById } from "../referrals/referral.loaders.js";
import { Review, ReviewStatus, TaskforceSummary } from "./review.entity.js";
import { ReviewService } from "./review.service.js";
import { TaskforceService } from "./taskforce.service.js";
import { TaskforceCountFilter, TaskforceReviewCounts } from "./taskforce.types.js";
import { CaseloadEntryInput, CaseloadRegistration, CompleteReviewInput, ReviewConnection, ReviewFilter, ScreeningResult } from "./review.types.js";

const service = (ctx: Context) => new ReviewService(ctx);

@Resolver(() => Review)
export class ReviewResolver {
  @Query(() => ReviewConnection, { description: "Your team's 72-hour reviews, soonest due first" })
  reviews(
    @Ctx() ctx: Context,
    @Arg("filter", () => ReviewFilter, { nullable: true }) filter: ReviewFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<ReviewConnection> {
    return service(ctx).queue(requireActor(ctx), filter, first, after);
  }

  @Query(() => Review, { nullable: true })
  review(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Review> {
    return service(ctx).get(requireActor(ctx), id);
  }

  @Mutation(() => ScreeningResult, { description: "Check which agencies already know the person, from identity keys only" })
  async runScreeningCheck(@Arg("reviewId", () => ID) reviewId: string, @Ctx() ctx: Context): Promise<ScreeningResult> {
    const review = await service(ctx).screen(requireActor(ctx), reviewId);
    return screeningOf(review, ctx) as Promise<ScreeningResult>;
  }

  @Mutation(() => CaseloadRegistration, { description: "Register (replace) your service's caseload; only keyed hashes of identity are kept" })
  registerCaseload(@Arg("entries", () => [CaseloadEntryInput]) entries: CaseloadEntryInput[], @Ctx() ctx: Context): Promise<CaseloadRegistration> {
    return service(ctx).registerCaseload(requireActor(ctx), entries);
  }

  @Mutation(() => Review, { description: "Name the review's harm-reduction lead and/or case co-ordinator (by their user ids)" })
  assignReview(
    @Arg("id", () => ID) id: string,
    @Arg("reviewerSub", () => String, { nullable: true }) reviewerSub: string | null,
    @Arg("caseCoordinatorSub", () => String, { nullable: true }) caseCoordinatorSub: string | null,
    @Ctx() ctx: Context,
  ): Promise<Review> {
    return service(ctx).assign(requireActor(ctx), id, { reviewerSub, caseCoordinatorSub });
  }

  @Mutation(() => Review)
  completeReview(@Arg("id", () => ID) id: string, @Arg("input", () => CompleteReviewInput) input: CompleteReviewInput, @Ctx() ctx: Context): Promise<Review> {
    return service(ctx).complete(requireActor(ctx), id, input);
  }

  @Subscription(() => Review, {
    description: "Your team's reviews 12 hours before they fall due, and when they do",
    topics: Topic.REVIEW_DUE,
    filter: ({ payload, context }: { payload: TopicPayloads["REVIEW_DUE"]; context: Context }) => eventReaches(reach.review, context.actor, { agencyId: payload.agencyId }),
  })
  reviewDue(@Root() payload: TopicPayloads["REVIEW_DUE"], @Ctx() ctx: Context): Promise<Review> {
    return service(ctx).get(requireActor(ctx), payload.reviewId);
  }

  @FieldResolver(() => Boolean, { description: "Still open after its due time" })
  overdue(@Root() r: Review, @Ctx() ctx: Context): boolean {
    return r.status === ReviewStatus.OPEN && r.dueAt.getTime() < ctx.clock.now().getTime();
  }

  @FieldResolver(() => Incident)
  async incident(@Root() r: Review, @Ctx() ctx: Context): Promise<Incident> {
    return loadRequired(incidentById(ctx), r.incidentId, "review incident");
  }

  @FieldResolver(() => Person, { description: "The person (identifying fields need consent to HARM_REDUCTION_REVIEW or another basis)" })
  async person(@Root() r: Review, @Ctx() ctx: Context): Promise<Person> {
    return loadRequired(personById(ctx), r.personId, "review person");
  }

  @FieldResolver(() => ScreeningResult, { nullable: true, description: "The last screening check, if run" })
  screening(@Root() r: Review, @Ctx() ctx: Context): Promise<ScreeningResult | null> {
    return screeningOf(r, ctx);
  }

  @FieldResolver(() => [Agency], { description: "Treatment services notified on completion" })
  async notifiedAgencies(@Root() r: Review, @Ctx() ctx: Context): Promise<Agency[]> {
    return (await agencyById(ctx).loadMany(r.notifiedAgencyIds)).filter((a): a is Agency => a instanceof Agency);
  }
}

async function screeningOf(r: Review, ctx: Context): Promise<ScreeningResult | null> {
  if (!r.screening) return null;
  const agencies = await agencyById(ctx).loadMany(r.screening.agencyIds);
  return { checkedAt: new Date(r.screening.checkedAt), identifiable: r.screening.identifiable, knownTo: agencies.filter((a): a is Agency => a instanceof Agency) };
}

@Resolver(() => TaskforceSummary)
export class TaskforceResolver {
  @Query(() => [TaskforceSummary], {
    description: "De-identified summaries of completed reviews shared with your taskforce, newest week first: only those whose person's active consent covers TASKFORCE_REVIEW for your taskforce",
  })
  taskforceSummaries(@Ctx() ctx: Context): Promise<TaskforceSummary[]> {
    return new TaskforceService(ctx).summaries(requireActor(ctx));
  }

  @Query(() => TaskforceReviewCounts, { description: "The other reviews shared with your taskforce, as counts by area and month, small numbers suppressed" })
  taskforceReviewCounts(
    @Ctx() ctx: Context,
    @Arg("filter", () => TaskforceCountFilter, { nullable: true, description: "Months to count" }) filter: TaskforceCountFilter | null,
  ): Promise<TaskforceReviewCounts> {
    return new TaskforceService(ctx).counts(requireActor(ctx), filter);
  }
}
