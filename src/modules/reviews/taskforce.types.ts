import { LocalDateResolver } from "../../core/scalars.js";
import { Field, InputType, ObjectType } from "type-graphql";
import { AggregatePeriod, SuppressibleCount, SuppressionRuleInfo } from "../aggregates/aggregates.types.js";

@InputType({ description: "Which months of shared reviews to count" })
export class TaskforceCountFilter {
  @Field(() => LocalDateResolver, { nullable: true, description: "Reviewed incidents from this date (snapped back to the 1st of its month)" }) from?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: "Before this date (snapped forward to the 1st of a month, at most the current month's)" }) to?: string | null;
}

@ObjectType({ description: "Reviews shared with the taskforce without a consent to a per-review summary, in one area and month" })
export class TaskforceReviewCountRow {
  @Field({ description: "Area code" }) areaCode: string;
  @Field({ description: "YYYY-MM of the incidents' weeks" }) month: string;
  @Field(() => SuppressibleCount, { description: "Reviews" }) reviews: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Of them, the person known to a health service (shown only when both known and not known are above the threshold)" })
  knownToServices: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Of them, completed within the deadline" }) completedWithinDeadline: SuppressibleCount;
}

@ObjectType({ description: "Counts of the shared reviews not shown as rows (no consent covering TASKFORCE_REVIEW for this taskforce), small numbers suppressed" })
export class TaskforceReviewCounts {
  @Field(() => AggregatePeriod, { description: "The whole calendar months covered" }) period: AggregatePeriod;
  @Field(() => [TaskforceReviewCountRow], { description: "Newest month first" }) rows: TaskforceReviewCountRow[];
  @Field(() => SuppressionRuleInfo, { description: "The small-number rule applied" }) suppression: SuppressionRuleInfo;
}
