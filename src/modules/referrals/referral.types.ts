import { IsDate, IsOptional, Length, Matches } from "class-validator";
import { Field, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../core/pagination.js";
import { AREA_CODE } from "../agencies/agency.types.js";
import { Pathway } from "../routes/route.entity.js";
import { Referral, ReferralStatus } from "./referral.entity.js";

export enum ContactMethod {
  PHONE = "PHONE",
  TEXT = "TEXT",
  LETTER = "LETTER",
  HOME_VISIT = "HOME_VISIT",
  OUTREACH = "OUTREACH",
  OTHER = "OTHER",
}
registerEnumType(ContactMethod, { name: "ContactMethod" });

export enum ContactOutcome {
  NO_ANSWER = "NO_ANSWER",
  LEFT_MESSAGE = "LEFT_MESSAGE",
  SPOKE_NOT_READY = "SPOKE_NOT_READY",
  ENGAGED = "ENGAGED",
}
registerEnumType(ContactOutcome, { name: "ContactOutcome", description: "ENGAGED moves the referral to ENGAGED; the others to CONTACT_ATTEMPTED" });

export enum ReferralOutcome {
  ENGAGED_IN_TREATMENT = "ENGAGED_IN_TREATMENT",
  DECLINED_SUPPORT = "DECLINED_SUPPORT",
  UNABLE_TO_CONTACT = "UNABLE_TO_CONTACT",
  ALREADY_IN_TREATMENT = "ALREADY_IN_TREATMENT",
  NO_FURTHER_ACTION = "NO_FURTHER_ACTION",
  OTHER = "OTHER",
}
registerEnumType(ReferralOutcome, { name: "ReferralOutcome" });

@InputType()
export class ReferralFilter {
  @Field(() => ReferralStatus, { nullable: true }) status?: ReferralStatus | null;
  @Field(() => Pathway, { nullable: true }) pathway?: Pathway | null;
  @Field(() => Boolean, { nullable: true, description: "Only referrals past their due time and still awaiting contact (or only those not)" }) overdue?: boolean | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(AREA_CODE, { message: "must be an area code" }) areaCode?: string | null;
}

@InputType()
export class ContactAttemptInput {
  @Field(() => Date, { nullable: true, description: "Defaults to now" }) @IsOptional() @IsDate() at?: Date | null;
  @Field(() => ContactMethod) method: ContactMethod;
  @Field(() => ContactOutcome) outcome: ContactOutcome;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 1000) note?: string | null;
}

@ObjectType()
export class ReferralConnection extends Connection(Referral, "Referral") {}
