import { ArrayMaxSize, IsOptional, Length, Matches } from "class-validator";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "../../core/pagination.js";
import { AGENCY_CODE, AREA_CODE } from "../agencies/agency.types.js";
import { Agency } from "../agencies/agency.entity.js";
import { Review, ReviewStatus } from "./review.entity.js";

const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;

@InputType()
export class ReviewFilter {
  @Field(() => ReviewStatus, { nullable: true }) status?: ReviewStatus | null;
  @Field(() => Boolean, { nullable: true }) overdue?: boolean | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(AREA_CODE, { message: "must be an area code" }) areaCode?: string | null;
}

@ObjectType()
export class ReviewConnection extends Connection(Review, "Review") {}

@ObjectType({ description: "Which agencies already know the person, found from identity keys only" })
export class ScreeningResult {
  @Field() checkedAt: Date;
  @Field({ description: "False when the person was recorded without both names and a date of birth: no match is possible" }) identifiable: boolean;
  @Field(() => [Agency]) knownTo: Agency[];
}

@InputType({ description: "One person on a treatment service's caseload; only a keyed hash of it is stored" })
export class CaseloadEntryInput {
  @Field() @Length(1, 100) @Matches(NAME, { message: "must be letters, spaces, hyphens or apostrophes" }) givenName: string;
  @Field() @Length(1, 100) @Matches(NAME, { message: "must be letters, spaces, hyphens or apostrophes" }) familyName: string;
  @Field({ description: "YYYY-MM-DD" }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date as YYYY-MM-DD" }) dateOfBirth: string;
}

@ObjectType()
export class CaseloadRegistration {
  @Field(() => Int, { description: "Entries now registered (the previous caseload was replaced)" }) entries: number;
  @Field() registeredAt: Date;
}

@InputType()
export class CompleteReviewInput {
  @Field(() => [String], { description: "Actions agreed (free text, kept with the review; never shared)" })
  @ArrayMaxSize(50)
  @Length(1, 500, { each: true })
  actions: string[];

  @Field(() => [String], { nullable: true, description: "Treatment services to notify: each gets a DIRECT_TREATMENT referral if consent covers it" })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(AGENCY_CODE, { each: true, message: "each must be an agency code" })
  notifyAgencyCodes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "Send a de-identified summary to the area's taskforce" })
  shareWithTaskforce?: boolean | null;
}
