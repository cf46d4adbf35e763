import { ArrayMaxSize, IsDate, IsInt, IsOptional, Matches } from "class-validator";
import { Field, Float, InputType, Int, ObjectType } from "type-graphql";
import { AGENCY_CODE } from "../agencies/agency.types.js";
import { SuppressibleCount, SuppressionRuleInfo } from "../aggregates/aggregates.types.js";
import { FundingStrand } from "../funding/funding.enums.js";
import { CarriageStatus } from "./programme.enums.js";

@InputType({ description: "Period and forces for programme KPIs" })
export class ProgrammeKpiFilter {
  @Field(() => Date, { nullable: true, description: "Administrations and kits used on or after (snapped back to Monday 00:00 UTC)" })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Before (snapped forward to Monday 00:00 UTC)" })
  @IsOptional()
  @IsDate()
  to?: Date | null;

  @Field(() => [String], { nullable: true, description: "Only these forces (all police forces when absent)" })
  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(AGENCY_CODE, { each: true, message: "each must be an agency code" })
  forceCodes?: string[] | null;

  @Field(() => Int, { nullable: true, description: "Kits expiring within this many days (default KIT_EXPIRY_NOTICE_DAYS)" })
  @IsOptional()
  @IsInt()
  expiringWithinDays?: number | null;
}

@ObjectType({ description: "The period an aggregate actually covers" })
export class ProgrammePeriod {
  @Field(() => Date, { nullable: true, description: "Start (Monday 00:00 UTC), null when unbounded" }) from: Date | null;
  @Field(() => Date, { nullable: true, description: "End, exclusive (Monday 00:00 UTC), null when unbounded" }) to: Date | null;
}

@ObjectType({ description: "One force's (or all forces') programme figures, small numbers suppressed" })
export class ProgrammeFigures {
  @Field({ description: "Force code, or ALL for the total" }) forceCode: string;
  @Field({ description: "False when national monitoring has not received the force's data: its figures are then null, not zero, and left out of the total" }) dataReceived: boolean;
  @Field(() => Boolean, { nullable: true, description: "The force has paused kit distribution (null on the total; see forcesDistributionPaused)" }) distributionPaused: boolean | null;
  @Field(() => SuppressibleCount, { nullable: true, description: "Police naloxone administrations in the period" }) administrations: SuppressibleCount | null;
  @Field(() => SuppressibleCount, { nullable: true, description: "Officers trained (any training recorded)" }) trained: SuppressibleCount | null;
  @Field(() => SuppressibleCount, { nullable: true, description: "Officers opted in to carry" }) carrying: SuppressibleCount | null;
  @Field(() => SuppressibleCount, { nullable: true, description: "Trained officers whose refresher is not overdue" }) refresherInDate: SuppressibleCount | null;
  @Field(() => Float, { nullable: true, description: "Administrations per 100 carrying officers, from the published figures" }) administrationsPer100Carrying: number | null;
  @Field(() => Float, { nullable: true, description: "refresherInDate / trained, from the published figures" }) refresherCompliance: number | null;
  @Field(() => SuppressibleCount, { nullable: true, description: "Kits on hand" }) kitsOnHand: SuppressibleCount | null;
  @Field(() => SuppressibleCount, { nullable: true, description: "Kits on hand expiring within the window (or already expired)" }) kitsExpiring: SuppressibleCount | null;
  @Field(() => SuppressibleCount, { nullable: true, description: "Kits used in the period" }) kitsUsed: SuppressibleCount | null;
}

@ObjectType({ description: "Funding of one strand across the forces, in GBP (money, not people: not suppressed)" })
export class StrandFunding {
  @Field(() => FundingStrand, { description: "Strand" }) strand: FundingStrand;
  @Field(() => Float, { description: "Available" }) available: number;
  @Field(() => Float, { description: "Allocated" }) allocated: number;
  @Field(() => Float, { description: "Spent" }) spent: number;
  @Field(() => Float, { description: "Available minus spent" }) remaining: number;
}

@ObjectType({ description: "How many forces have each carriage status (public national monitoring: not suppressed)" })
export class CarriageStatusCount {
  @Field(() => CarriageStatus, { description: "Status" }) status: CarriageStatus;
  @Field(() => Int, { description: "Forces with it as their latest status" }) forces: number;
}

@ObjectType({ description: "Police naloxone programme KPIs (evaluation §4.1): supply, training and carriage, funding, force status" })
export class ProgrammeKpis {
  @Field(() => ProgrammePeriod, { description: "The period the period-bound figures cover" }) period: ProgrammePeriod;
  @Field(() => Int, { description: "The expiry window used, in days" }) expiringWithinDays: number;
  @Field(() => [ProgrammeFigures], { description: "Each force" }) forces: ProgrammeFigures[];
  @Field(() => ProgrammeFigures, { description: "All forces whose data was received" }) total: ProgrammeFigures;
  @Field(() => [StrandFunding], { description: "Funding available against spent, by strand" }) fundingByStrand: StrandFunding[];
  @Field(() => [CarriageStatusCount], { description: "Forces by carriage status" }) forcesByCarriageStatus: CarriageStatusCount[];
  @Field(() => Int, { description: "Forces whose kit distribution is paused" }) forcesDistributionPaused: number;
  @Field(() => SuppressionRuleInfo, { description: "The small-number rule applied" }) suppression: SuppressionRuleInfo;
}
