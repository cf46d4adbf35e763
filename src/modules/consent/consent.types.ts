import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsDate, IsOptional, Matches } from "class-validator";
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { AgencyKind } from "../../core/auth/roles.js";
import { AGENCY_CODE } from "../agencies/agency.types.js";
import { Agency } from "../agencies/agency.entity.js";
import { ConsentDecision, ConsentMethod } from "./consent.entity.js";
import type { EmergencyBasis } from "./grant.entity.js";
import { AccessBasis } from "./access.policy.js";
import { Purpose } from "./purpose.js";

registerEnumType(AccessBasis, { name: "AccessBasis", description: "Why an agency may see a person's identifying data" });

@InputType({ description: "A consent decision, on scene or later" })
export class ConsentInput {
  @Field(() => ConsentDecision)
  decision: ConsentDecision;

  @Field(() => [Purpose])
  @ArrayMinSize(1, { message: "must name at least one purpose" })
  @ArrayUnique()
  purposes: Purpose[];

  @Field(() => [AgencyKind], { nullable: true, description: "Recipients by kind (those serving the person's areas)" })
  @IsOptional()
  @ArrayUnique()
  recipientKinds?: AgencyKind[] | null;

  @Field(() => [String], { nullable: true, description: "Recipients by agency code" })
  @IsOptional()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @Matches(AGENCY_CODE, { each: true, message: "each must be an agency code" })
  recipientAgencyCodes?: string[] | null;

  @Field(() => ConsentMethod)
  method: ConsentMethod;

  @Field(() => Date, { nullable: true, description: "Defaults to now" })
  @IsOptional()
  @IsDate()
  obtainedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}

export interface EmergencyAccessInput {
  personId: string;
  basis: EmergencyBasis;
  justification: string;
}

@ObjectType({ description: "One agency that can see the person now, on what basis, until when" })
export class AccessExplanation {
  @Field(() => Agency) agency: Agency;
  @Field(() => AccessBasis) basis: AccessBasis;
  @Field(() => Purpose, { nullable: true }) purpose: Purpose | null;
  @Field(() => ID, { nullable: true, description: "The consent or grant that gives the access" }) consentId: string | null;
  @Field(() => ID, { nullable: true }) grantId: string | null;
  @Field(() => Date, { nullable: true, description: "Null: open-ended (recording agency, direct care, consent without expiry)" }) until: Date | null;
}

export interface ReviewGrantInput {
  outcome: import("./grant.entity.js").GrantReviewOutcome;
  note?: string | null;
}
