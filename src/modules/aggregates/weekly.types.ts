import { Field, ObjectType } from "type-graphql";
import { SuppressibleCount, SuppressionRuleInfo } from "./aggregates.types.js";

@ObjectType({ description: "Administrations in one ISO week (Monday 00:00 UTC to the next Monday), small numbers suppressed" })
export class WeekCount {
  @Field({ description: "Monday the week starts on (UTC), YYYY-MM-DD" }) weekStart: string;
  @Field(() => SuppressibleCount) administrations: SuppressibleCount;
}

@ObjectType({ description: "A weekly time series of administrations; weeks with none inside the series' span are published as 0" })
export class WeeklySeries {
  @Field(() => [WeekCount], { description: "Oldest week first" }) weeks: WeekCount[];
  @Field(() => SuppressibleCount, { description: "All administrations matched; suppressed together with the weeks so no hidden week can be worked out" })
  total: SuppressibleCount;
  @Field(() => SuppressionRuleInfo) suppression: SuppressionRuleInfo;
}
