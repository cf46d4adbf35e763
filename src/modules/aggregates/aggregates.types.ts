import { ArrayMaxSize, ArrayUnique, IsDate, IsIn, IsOptional, Matches } from "class-validator";
import { JSONResolver } from "../../core/scalars.js";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { AREA_CODE } from "../agencies/agency.types.js";
import { Outcome, Substance } from "../incidents/incident.enums.js";

@ObjectType({ description: "A published count: null and suppressed when small (see the small-number rule), otherwise rounded" })
export class SuppressibleCount {
  @Field(() => Int, { nullable: true }) count: number | null;
  @Field() suppressed: boolean;
}

@ObjectType({ description: "The small-number rule every aggregate applies" })
export class SuppressionRuleInfo {
  @Field(() => Int, { description: "Counts from 1 to this are shown as count: null, suppressed: true" }) max: number;
  @Field(() => Int, { description: "Other counts are rounded to the nearest multiple of this" }) roundTo: number;
}

/** The period and areas every aggregate filter shares (not a GraphQL type of its own). */
@InputType()
export abstract class PeriodAreaFilter {
  @Field(() => Date, { nullable: true, description: "Occurred at or after" })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Occurred before" })
  @IsOptional()
  @IsDate()
  to?: Date | null;

  @Field(() => [String], { nullable: true, description: "Only these areas (all areas when absent)" })
  @IsOptional()
  @ArrayMaxSize(200)
  @Matches(AREA_CODE, { each: true, message: "each must be an area code" })
  areaCodes?: string[] | null;
}

@InputType({ description: "Which administrations an aggregate covers" })
export class AggregateFilter extends PeriodAreaFilter {

  @Field(() => [Substance], { nullable: true, description: "Only administrations where any of these substances was taken" })
  @IsOptional()
  @ArrayUnique()
  substances?: Substance[] | null;

  @Field(() => Outcome, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(Outcome))
  outcome?: Outcome | null;
}

@ObjectType({ description: "One H3 cell of the heat map" })
export class HeatCell {
  @Field({ description: "H3 cell index at the requested resolution" }) h3: string;
  @Field(() => Int, { nullable: true }) count: number | null;
  @Field() suppressed: boolean;
}

@ObjectType({ description: "Administrations with a recorded location, counted by H3 cell, small numbers suppressed" })
export class Heatmap {
  @Field(() => Int) resolution: number;
  @Field(() => [HeatCell]) cells: HeatCell[];
  @Field(() => SuppressibleCount, { description: "All located administrations matched; complementary suppression keeps the cells from being worked out from it" })
  total: SuppressibleCount;
  @Field(() => JSONResolver, { description: "GeoJSON FeatureCollection of the cells' polygons (feature id: the H3 index; properties: count, suppressed), drawable as is by Leaflet or MapLibre" })
  geojson: unknown;
  @Field(() => SuppressionRuleInfo) suppression: SuppressionRuleInfo;
}

@ObjectType({ description: "Administrations in one area, small numbers suppressed" })
export class AreaCount {
  @Field() areaCode: string;
  @Field(() => Int, { nullable: true }) count: number | null;
  @Field() suppressed: boolean;
}
