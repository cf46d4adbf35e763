import { ArrayMaxSize, IsBoolean, IsIn, IsOptional, Matches, ValidateNested } from "class-validator";
import { LocalDateResolver } from "../../core/scalars.js";
import { Field, Float, InputType, ObjectType } from "type-graphql";
import { Connection } from "../../core/pagination.js";
import { AGENCY_CODE } from "../agencies/agency.types.js";
import { AggregatePeriod, SuppressibleCount, SuppressionRuleInfo } from "../aggregates/aggregates.types.js";
import { IDEMPOTENCY_KEY, PersonInput } from "../incidents/incident.types.js";
import { PrisonRelease } from "./prison.entity.js";
import { DeclineReason, KitHeldIn, OfferOutcome, PointOfOffer, ReleaseType, TrainerType } from "./prison.enums.js";

@InputType({ description: "A prisoner's take-home naloxone journey to release. Names no one." })
export class PrisonReleaseInput {
  @Field({ description: "Client-chosen key: a retry with the same key returns the first record" })
  @Matches(IDEMPOTENCY_KEY, { message: "must be 8-100 letters, digits, '.', '_', ':' or '-'" })
  idempotencyKey: string;

  @Field(() => PersonInput, { nullable: true, description: "The person, if the prison records who it is: links the release to their other records. Optional." })
  @IsOptional()
  @ValidateNested()
  person?: PersonInput | null;

  @Field() @IsBoolean() opioidUseIdentified: boolean;
  @Field(() => LocalDateResolver, { nullable: true }) identifiedOn?: string | null;
  @Field(() => PointOfOffer, { nullable: true }) @IsOptional() @IsIn(Object.values(PointOfOffer)) pointOfOffer?: PointOfOffer | null;
  @Field(() => OfferOutcome) @IsIn(Object.values(OfferOutcome)) offerOutcome: OfferOutcome;
  @Field(() => DeclineReason, { nullable: true }) @IsOptional() @IsIn(Object.values(DeclineReason)) declineReason?: DeclineReason | null;
  @Field(() => LocalDateResolver, { nullable: true }) trainedOn?: string | null;
  @Field(() => TrainerType, { nullable: true }) @IsOptional() @IsIn(Object.values(TrainerType)) trainerType?: TrainerType | null;
  @Field() @IsBoolean() kitIssued: boolean;
  @Field(() => KitHeldIn, { nullable: true }) @IsOptional() @IsIn(Object.values(KitHeldIn)) kitHeldIn?: KitHeldIn | null;
  @Field(() => LocalDateResolver) releaseDate: string;
  @Field(() => ReleaseType) @IsIn(Object.values(ReleaseType)) releaseType: ReleaseType;
  @Field({ description: "The kit was handed over at the gate" }) @IsBoolean() releasedWithKit: boolean;
}

@InputType()
export class PrisonCoverageFilter {
  @Field(() => LocalDateResolver, { nullable: true, description: "Released on or after (snapped back to the 1st of its month)" }) from?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: "Released before (snapped forward to the 1st of a month, at most the current month's)" }) to?: string | null;

  @Field(() => [String], { nullable: true, description: "Only this prison (at most one)" })
  @IsOptional()
  @ArrayMaxSize(200)
  @Matches(AGENCY_CODE, { each: true, message: "each must be an agency code" })
  prisonCodes?: string[] | null;
}

@ObjectType({ description: "Opioid users released to the community (released or from court; transfers excluded) and those released with a kit" })
export class PrisonCoverageFigures {
  @Field(() => SuppressibleCount, { description: "Opioid users released, hidden while the releases behind them are few" }) opioidUsersReleased: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Of them, released with a kit: shown only when both those with and those without a kit are above the threshold" })
  releasedWithKit: SuppressibleCount;
  @Field(() => Float, { nullable: true, description: "releasedWithKit / opioidUsersReleased from the published figures; null when either is suppressed or zero" })
  share: number | null;
}

@ObjectType()
export class PrisonCoverageRow extends PrisonCoverageFigures {
  @Field() prisonCode: string;
  @Field({ description: "YYYY-MM of release" }) month: string;
}

@ObjectType({ description: "Share of opioid users released with take-home naloxone, by prison and month, small numbers suppressed" })
export class PrisonCoverage {
  @Field(() => AggregatePeriod, { description: "The whole calendar months covered" }) period: AggregatePeriod;
  @Field(() => [PrisonCoverageRow], { description: "One row per prison and month with releases to the community" }) rows: PrisonCoverageRow[];
  @Field(() => PrisonCoverageFigures, { description: "All rows together, published from their own records" }) total: PrisonCoverageFigures;
  @Field(() => Float, { description: "National average share released with THN (12%)" }) nationalReferenceShare: number;
  @Field(() => Float, { description: "Forward Trust's share across its 11 prisons (42%)" }) forwardTrustReferenceShare: number;
  @Field(() => SuppressionRuleInfo, { description: "The small-number rule applied" }) suppression: SuppressionRuleInfo;
}

@ObjectType({ description: "Your prison's release records, newest recorded first" })
export class PrisonReleaseConnection extends Connection(PrisonRelease, "PrisonRelease") {}

@ObjectType({ description: "Whether the person left prison with a take-home naloxone kit: sensitive, shown to police and probation only under a consent naming them" })
export class TakeHomeNaloxoneStatus {
  @Field() releasedWithKit: boolean;
  @Field(() => LocalDateResolver) releaseDate: string;
}
