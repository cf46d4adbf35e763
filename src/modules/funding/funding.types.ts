import { IsIn, IsNumber, IsOptional, Matches } from "class-validator";
import { LocalDateResolver } from "../../core/scalars.js";
import { Field, Float, InputType } from "type-graphql";
import { AGENCY_CODE } from "../agencies/agency.types.js";
import { FundingSource, FundingStrand } from "./funding.enums.js";

@InputType({ description: "A force's funding for one strand from one source over one period; recording the same force, strand, source and start again updates the figures" })
export class FundingInput {
  @Field({ description: "The police force" })
  @Matches(AGENCY_CODE, { message: "must be an agency code" })
  forceCode: string;

  @Field(() => FundingStrand, { description: "What the money is for" })
  @IsIn(Object.values(FundingStrand))
  strand: FundingStrand;

  @Field(() => FundingSource, { description: "Where it comes from (UNKNOWN allowed)" })
  @IsIn(Object.values(FundingSource))
  source: FundingSource;

  @Field(() => Float, { description: "Amount available (GBP, 0 or more)" })
  @IsNumber()
  available: number;

  @Field(() => Float, { description: "Amount allocated (GBP, 0 or more)" })
  @IsNumber()
  allocated: number;

  @Field(() => Float, { description: "Amount spent so far (GBP, 0 or more)" })
  @IsNumber()
  spent: number;

  @Field(() => LocalDateResolver, { description: "First day of the period" })
  periodStart: string;

  @Field(() => LocalDateResolver, { nullable: true, description: "Last day of the period (not before periodStart); null when open-ended" })
  periodEnd?: string | null;
}

@InputType({ description: "Which funding records to list" })
export class FundingFilter {
  @Field(() => String, { nullable: true, description: "Only this force (a force lead sees only its own)" })
  @IsOptional()
  @Matches(AGENCY_CODE, { message: "must be an agency code" })
  forceCode?: string | null;

  @Field(() => FundingStrand, { nullable: true, description: "Only this strand" })
  @IsOptional()
  @IsIn(Object.values(FundingStrand))
  strand?: FundingStrand | null;
}
