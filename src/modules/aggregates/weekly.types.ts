import { Field, ObjectType } from "type-graphql";
import { AggregatePeriod, SuppressibleCount, SuppressionRuleInfo } from "./aggregates.types.js";

@ObjectType({ description: "Administrations in one ISO week (Monday 00:00 UTC to the next Monday), small numbers suppressed" })
export class WeekCount {
  @Field({ description: "Monday the week starts on (UTC), YYYY-MM-DD" }) weekStart: string;
  @Field(() => SuppressibleCount, { description: "Administrations that week: the same figure as any other query over that week's records" }) administrations: SuppressibleCount;
}

@ObjectType({ description: "A weekly time series of administrations; weeks with none inside the series' span are published as 0" })
export class WeeklySeries {
  @Field(() => AggregatePeriod, { description: "The whole weeks covered" }) period: AggregatePeriod;
  @Field(() => [WeekCount], { description: "Oldest week first" }) weeks: WeekCount[];
  @Field(() => SuppressibleCount, { description: "All administrations matched, published from their own records (not summed from the weeks)" })
  total: SuppressibleCount;
  @Field(() => SuppressionRuleInfo, { description: "The small-number rule applied" }) suppression: SuppressionRuleInfo;
}
