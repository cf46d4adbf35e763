import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, Min } from "class-validator";
import { Field, InputType, Int } from "type-graphql";
import { AgencyKind } from "../../core/auth/roles.js";
import { ProvisionStatus } from "./agency.entity.js";

export const AGENCY_CODE = /^[A-Z][A-Z0-9_-]{1,31}$/;
export const AREA_CODE = /^[A-Z][A-Z0-9-]{1,39}$/;

@InputType()
export class CreateAgencyInput {
  @Field({ description: "2-32 characters: capitals, digits, '-' or '_', starting with a letter" })
  @Matches(AGENCY_CODE, { message: "must be 2-32 capitals, digits, '-' or '_', starting with a letter" })
  code: string;

  @Field()
  @Length(2, 200)
  name: string;

  @Field(() => AgencyKind)
  kind: AgencyKind;

  @Field(() => [String], { description: "Area codes served, e.g. DUR-EASINGTON (2-40 capitals, digits or '-')" })
  @ArrayMaxSize(200)
  @Matches(AREA_CODE, { each: true, message: "each area code must be 2-40 capitals, digits or '-', starting with a letter" })
  areaCodes: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(2, 100)
  adderArea?: string | null;

  @Field(() => ProvisionStatus, { nullable: true })
  provisionStatus?: ProvisionStatus | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  officersTrained?: number | null;
}
