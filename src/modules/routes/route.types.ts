import { IsInt, IsOptional, Matches, Max, Min } from "class-validator";
import { Field, InputType, Int } from "type-graphql";
import { AGENCY_CODE, AREA_CODE } from "../agencies/agency.types.js";
import { Pathway } from "./route.entity.js";
import { MAX_SLA_HOURS } from "./route.policy.js";

@InputType()
export class ConfigureRouteInput {
  @Field()
  @Matches(AREA_CODE, { message: "must be an area code: 2-40 capitals, digits or '-'" })
  areaCode: string;

  @Field(() => Pathway)
  pathway: Pathway;

  @Field()
  @Matches(AGENCY_CODE, { message: "must be an agency code" })
  targetAgencyCode: string;

  @Field(() => Int, { nullable: true, description: "Hours to act (default 72)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SLA_HOURS)
  slaHours?: number | null;
}
