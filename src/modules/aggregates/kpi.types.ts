import { Substance } from "../incidents/incident.enums.js";
import { ArrayMaxSize, IsOptional, Matches } from "class-validator";
import { Field, Float, InputType, ObjectType, registerEnumType } from "type-graphql";
import { AGENCY_CODE } from "../agencies/agency.types.js";
import { AggregatePeriod, PeriodAreaFilter, SuppressibleCount, SuppressionRuleInfo } from "./aggregates.types.js";

export enum FirstAidItem {
  TRIED_TO_WAKE_VERBALLY = "TRIED_TO_WAKE_VERBALLY",
  TILTED_HEAD_BACK = "TILTED_HEAD_BACK",
  CHECKED_BREATHING = "CHECKED_BREATHING",
  RECOVERY_POSITION = "RECOVERY_POSITION",
  CHEST_COMPRESSIONS = "CHEST_COMPRESSIONS",
  RESCUE_BREATHS = "RESCUE_BREATHS",
  CLEARED_AIRWAYS = "CLEARED_AIRWAYS",
  CHECKED_PULSE = "CHECKED_PULSE",
  CHECKED_FOR_RESPONSE = "CHECKED_FOR_RESPONSE",
}
registerEnumType(FirstAidItem, { name: "FirstAidItem", description: "The standard form's first-aid items (and the optional ninth)" });

@InputType({ description: "Which administrations the KPIs cover" })
export class KpiFilter extends PeriodAreaFilter {

  @Field(() => [String], { nullable: true, description: "Only administrations recorded by this force (at most one)" })
  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(AGENCY_CODE, { each: true, message: "each must be an agency code" })
  agencyCodes?: string[] | null;

  @Field(() => [Substance], { nullable: true, description: "Only administrations where any of these substances was taken (police and inter-agency indicators alike)" })
  @IsOptional()
  @ArrayMaxSize(20)
  substances?: Substance[] | null;
}

@ObjectType({ description: "How often one first-aid item went with naloxone" })
export class FirstAidItemKpi {
  @Field(() => FirstAidItem) item: FirstAidItem;
  @Field(() => SuppressibleCount) count: SuppressibleCount;
  @Field(() => Float, { nullable: true, description: "Share of administrations; null when a figure it needs is suppressed" }) share: number | null;
}

@ObjectType({
  description:
    "The evaluation's police-side indicators. Counts follow the small-number rule; every share and ratio is computed from the published figures and is null when one of them is suppressed or zero.",
})
export class Kpis {
  @Field(() => AggregatePeriod, { description: "The whole weeks covered" }) period: AggregatePeriod;
  @Field(() => SuppressibleCount, { description: "Police naloxone administrations" }) administrations: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Administrations after which the person was conscious and responsive" }) overdosesReversed: SuppressibleCount;
  @Field(() => Float, { nullable: true }) reversedShare: number | null;
  @Field(() => SuppressibleCount, { description: "Doses given in all" }) doses: SuppressibleCount;
  @Field(() => Float, { nullable: true }) dosesPerAdministration: number | null;
  @Field(() => SuppressibleCount, { description: "Administrations combined with at least one first-aid item" }) withFirstAid: SuppressibleCount;
  @Field(() => Float, { nullable: true }) firstAidShare: number | null;
  @Field(() => [FirstAidItemKpi]) firstAidItems: FirstAidItemKpi[];
  @Field(() => SuppressibleCount, { description: "Administrations with both ambulance call and arrival times" }) ambulanceResponses: SuppressibleCount;
  @Field(() => Float, { nullable: true, description: "Median minutes from call to arrival, whole minutes; null with fewer than minPercentileValues responses" })
  ambulanceResponseMedianMinutes: number | null;
  @Field(() => Float, { nullable: true, description: "90th percentile minutes from call to arrival, whole minutes; null with fewer than minPercentileValues responses" })
  ambulanceResponseP90Minutes: number | null;
  @Field(() => SuppressibleCount, { description: "Responses slower than the 7-minute Category 1 target" }) ambulanceOverCategory1Target: SuppressibleCount;
  @Field(() => Float, { nullable: true }) ambulanceOverCategory1TargetShare: number | null;
  @Field(() => SuppressibleCount) seenByParamedics: SuppressibleCount;
  @Field(() => Float, { nullable: true }) seenByParamedicsShare: number | null;
  @Field(() => SuppressibleCount, { description: "Administrations after which the officer asked for a new kit" }) resupplyRequests: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Kits asked for in all" }) kitsRequired: SuppressibleCount;
  @Field(() => SuppressionRuleInfo, { description: "The small-number rule applied" }) suppression: SuppressionRuleInfo;
  /** The filter these KPIs were computed for, so interAgency can follow it (not a field). */
  filter?: KpiFilter | null;
}

@ObjectType({ description: "Inter-agency collaboration: referrals, reviews and consent for the same incidents (small numbers suppressed)" })
export class InterAgencyKpis {
  @Field(() => AggregatePeriod, { description: "The whole weeks covered (the KPIs' period)" }) period: AggregatePeriod;
  @Field(() => SuppressibleCount, { description: "Incidents (police administrations) the figures cover" }) incidents: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Incidents with a consent given from a day before to 30 days after" }) incidentsWithConsent: SuppressibleCount;
  @Field(() => Float, { nullable: true }) consentGivenShare: number | null;
  @Field(() => SuppressibleCount) referralsMade: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Referrals the receiving agency accepted" }) referralsAccepted: SuppressibleCount;
  @Field(() => Float, { nullable: true }) referralsAcceptedShare: number | null;
  @Field(() => SuppressibleCount, { description: "Referrals where the person engaged" }) referralsEngaged: SuppressibleCount;
  @Field(() => Float, { nullable: true }) referralsEngagedShare: number | null;
  @Field(() => Float, { nullable: true, description: "Median hours from referral to first contact, whole hours; null with fewer than minPercentileValues contacts" })
  medianHoursToFirstContact: number | null;
  @Field(() => SuppressibleCount, { description: "72-hour reviews due (deadline passed, or completed)" }) reviewsDue: SuppressibleCount;
  @Field(() => SuppressibleCount, { description: "Reviews completed by their deadline" }) reviewsCompletedWithin72h: SuppressibleCount;
  @Field(() => Float, { nullable: true }) reviewsOnTimeShare: number | null;
}
