import { IsOptional, Matches } from "class-validator";
import { Field, Float, InputType, ObjectType } from "type-graphql";
import { LocalDateResolver } from "../../core/scalars.js";
import { Agency } from "../agencies/agency.entity.js";
import { SuppressibleCount, SuppressionRuleInfo } from "../aggregates/aggregates.types.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

@InputType({ description: "The months a service's figures cover (whole calendar months, snapped outward); default the last 12" })
export class ServiceFiguresFilter {
  @Field(() => LocalDateResolver, { nullable: true, description: "Referrals received on or after (snapped to the start of its month)" })
  @IsOptional()
  @Matches(DATE)
  from?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "Referrals received before (snapped to the end of its month)" })
  @IsOptional()
  @Matches(DATE)
  to?: string | null;
}

@ObjectType({ description: "A period actually covered: from (inclusive) to (exclusive)" })
export class CoveredPeriod {
  @Field(() => LocalDateResolver, { description: "First day covered" }) from: string;
  @Field(() => LocalDateResolver, { description: "First day after the period" }) to: string;
}

@ObjectType({ description: "A service's referral figures for a period, published under the small-number rule" })
export class ServiceFigureCounts {
  @Field(() => SuppressibleCount, { description: "Referrals received" }) received: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Of those, accepted (ever)" }) accepted: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Of those, engaged (ever)" }) engaged: SuppressibleCount;
  @Field(() => Float, { nullable: true, description: "Accepted per received, from the published figures" }) acceptedShare: number | null;
  @Field(() => Float, { nullable: true, description: "Engaged per received, from the published figures" }) engagedShare: number | null;
  @Field(() => Float, { nullable: true, description: "Median hours from receipt to first contact (whole hours); withheld when the contacted count is suppressed" })
  medianHoursToFirstContact: number | null;
}

@ObjectType({ description: "One month of a service's referral figures" })
export class ServiceFigureMonth extends ServiceFigureCounts {
  @Field({ description: "The month, YYYY-MM (UTC)" }) month: string;
}

@ObjectType({ description: "Your service's own referral figures by month: received, accepted, engaged, time to first contact" })
export class ServiceFigures {
  @Field(() => Agency, { description: "The service the figures are about (your agency)" }) agency: Agency;
  @Field(() => [ServiceFigureMonth], { description: "Every month of the period, oldest first (a month with none is a published 0)" }) months: ServiceFigureMonth[];
  @Field(() => ServiceFigureCounts, { description: "The whole period" }) total: ServiceFigureCounts;
  @Field(() => CoveredPeriod, { description: "The whole months the figures cover" }) period: CoveredPeriod;
  @Field(() => SuppressionRuleInfo, { description: "The small-number rule the figures follow" }) suppression: SuppressionRuleInfo;
}
