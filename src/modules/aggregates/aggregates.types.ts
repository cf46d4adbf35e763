import { ArrayMaxSize, ArrayUnique, IsDate, IsIn, IsOptional, Matches } from "class-validator";
import { JSONResolver } from "../../core/scalars.js";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { AREA_CODE } from "../agencies/agency.types.js";
import { Outcome, Substance } from "../incidents/incident.enums.js";

@ObjectType({ description: "A published count: null and suppressed when small (see the small-number rule), otherwise a multiple of roundTo chosen by cell key" })
export class SuppressibleCount {
  @Field(() => Int, { nullable: true, description: "0, or a multiple of roundTo within roundTo - 1 of the true count; null when suppressed" }) count: number | null;
  @Field({ description: "True when the count is hidden: from 1 to max, or a part of a population of 1 to max" }) suppressed: boolean;
}

@ObjectType({ description: "The small-number rule every aggregate applies (docs/disclosure.md)" })
export class SuppressionRuleInfo {
  @Field(() => Int, { description: "Counts from 1 to this are shown as count: null, suppressed: true" }) max: number;
  @Field(() => Int, {
    description: "Other counts are a multiple of this within roundTo - 1 of the truth, picked by the records' cell key: the same records always give the same figure, unbiased from the first multiple above max",
  })
  roundTo: number;
  @Field(() => Int, { description: "Medians and percentiles are published only over at least this many values, rounded to a whole unit" })
  minPercentileValues: number;
}

@ObjectType({ description: "The period an aggregate actually covers: its filter snapped outward to whole ISO weeks (Monday 00:00 UTC) or months, ending at the latest at the start of the current one" })
export class AggregatePeriod {
  @Field({ description: "Start, inclusive (a Monday 00:00 UTC; for prison coverage the 1st of a month)" }) from: Date;
  @Field({ description: "End, exclusive" }) to: Date;
}

/** The period and areas every aggregate filter shares (not a GraphQL type of its own). */
@InputType()
export abstract class PeriodAreaFilter {
  @Field(() => Date, { nullable: true, description: "Occurred at or after (snapped back to the Monday 00:00 UTC of its week)" })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Occurred before (snapped forward to a Monday 00:00 UTC, at most the start of the current week)" })
  @IsOptional()
  @IsDate()
  to?: Date | null;

  @Field(() => [String], { nullable: true, description: "Only these areas (all areas when absent). A figure over several areas together needs exactly the areas one agency serves." })
  @IsOptional()
  @ArrayMaxSize(200)
  @Matches(AREA_CODE, { each: true, message: "each must be an area code" })
  areaCodes?: string[] | null;
}

@InputType({ description: "Which administrations an aggregate covers" })
export class AggregateFilter extends PeriodAreaFilter {

  @Field(() => [Substance], { nullable: true, description: "Only administrations where this substance was taken (at most one)" })
  @IsOptional()
  @ArrayUnique()
  substances?: Substance[] | null;

  @Field(() => Outcome, { nullable: true, description: "Only administrations with this outcome" })
  @IsOptional()
  @IsIn(Object.values(Outcome))
  outcome?: Outcome | null;
}

@ObjectType({ description: "One H3 cell of the heat map" })
export class HeatCell {
  @Field({ description: "H3 cell index at the requested resolution" }) h3: string;
  @Field(() => Int, { nullable: true, description: "Published count (see SuppressibleCount)" }) count: number | null;
  @Field({ description: "True when hidden by the small-number rule" }) suppressed: boolean;
}

@ObjectType({ description: "Administrations with a recorded location, counted by H3 cell, small numbers suppressed" })
export class Heatmap {
  @Field(() => AggregatePeriod, { description: "The whole weeks the map covers" }) period: AggregatePeriod;
  @Field(() => Int, { description: "H3 resolution of the cells" }) resolution: number;
  @Field(() => [HeatCell], { description: "Cells with at least one located administration in the period (with an outcome or substance filter: cells of the unfiltered map)" }) cells: HeatCell[];
  @Field(() => SuppressibleCount, { description: "All located administrations matched, published from their own records (not summed from the cells)" })
  total: SuppressibleCount;
  @Field(() => JSONResolver, { description: "GeoJSON FeatureCollection of the cells' polygons (feature id: the H3 index; properties: count, suppressed), drawable as is by Leaflet or MapLibre" })
  geojson: unknown;
  @Field(() => SuppressionRuleInfo, { description: "The small-number rule applied" }) suppression: SuppressionRuleInfo;
}

@ObjectType({ description: "Administrations in one area, small numbers suppressed" })
export class AreaCount {
  @Field({ description: "Area code" }) areaCode: string;
  @Field(() => Int, { nullable: true, description: "Published count (see SuppressibleCount)" }) count: number | null;
  @Field({ description: "True when hidden by the small-number rule" }) suppressed: boolean;
  @Field(() => AggregatePeriod, { description: "The whole weeks counted (the same for every area of one answer)" }) period: AggregatePeriod;
}

@ObjectType({ description: "Administrations by area with the period they cover; each area is counted from its own records (no total, which would be a union of areas)" })
export class AreaCountTable {
  @Field(() => AggregatePeriod, { description: "The whole weeks counted" }) period: AggregatePeriod;
  @Field(() => [AreaCount], { description: "One row per area with administrations, and per area asked for" }) areas: AreaCount[];
  @Field(() => SuppressionRuleInfo, { description: "The small-number rule applied" }) suppression: SuppressionRuleInfo;
}
