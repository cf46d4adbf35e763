import { IsDate, IsOptional, Length, Matches } from "class-validator";
import { ArrayMaxSize, ArrayUnique } from "class-validator";
import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Agency } from "../agencies/agency.entity.js";
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

export enum ReferralSort {
  DUE_AT_ASC = "DUE_AT_ASC",
  DUE_AT_DESC = "DUE_AT_DESC",
  CREATED_AT_DESC = "CREATED_AT_DESC",
  CREATED_AT_ASC = "CREATED_AT_ASC",
}
registerEnumType(ReferralSort, {
  name: "ReferralSort",
  description: "Order of an inbox page",
  valuesConfig: {
    DUE_AT_ASC: { description: "Soonest due first (the default)" },
    DUE_AT_DESC: { description: "Latest due first" },
    CREATED_AT_DESC: { description: "Newest first" },
    CREATED_AT_ASC: { description: "Oldest first" },
  },
});

@InputType({ description: "Narrows your inbox; every condition given must hold" })
export class ReferralFilter {
  @Field(() => ReferralStatus, { nullable: true, description: "Only this status" }) status?: ReferralStatus | null;
  @Field(() => [ReferralStatus], { nullable: true, description: "Only these statuses (with status: both must hold)" })
  @IsOptional()
  @ArrayUnique()
  @ArrayMaxSize(7)
  statuses?: ReferralStatus[] | null;
  @Field(() => Date, { nullable: true, description: "Created at or after" }) @IsOptional() @IsDate() createdFrom?: Date | null;
  @Field(() => Date, { nullable: true, description: "Created before" }) @IsOptional() @IsDate() createdTo?: Date | null;
  @Field(() => Date, { nullable: true, description: "Due at or after" }) @IsOptional() @IsDate() dueFrom?: Date | null;
  @Field(() => Date, { nullable: true, description: "Due before" }) @IsOptional() @IsDate() dueTo?: Date | null;
  @Field(() => Pathway, { nullable: true, description: "Only this pathway" }) pathway?: Pathway | null;
  @Field(() => Boolean, { nullable: true, description: "Only referrals past their due time and still awaiting contact (or only those not)" }) overdue?: boolean | null;
  @Field(() => String, { nullable: true, description: "Only referrals of incidents in this area" }) @IsOptional() @Matches(AREA_CODE, { message: "must be an area code" }) areaCode?: string | null;
}

@InputType()
export class ContactAttemptInput {
  @Field(() => Date, { nullable: true, description: "Defaults to now" }) @IsOptional() @IsDate() at?: Date | null;
  @Field(() => ContactMethod) method: ContactMethod;
  @Field(() => ContactOutcome) outcome: ContactOutcome;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 1000) note?: string | null;
}

@ObjectType({ description: "A page of your inbox" })
export class ReferralConnection extends Connection(Referral, "Referral") {
  @Field(() => Int, { description: "How many referrals of your own inbox match the filter (all pages)" })
  totalCount: number;
}

@ObjectType({ description: "Where an incident's person was referred and how far it got: no person, no notes" })
export class IncidentReferral {
  @Field(() => Pathway, { description: "The route's pathway" }) pathway: Pathway;
  @Field(() => ReferralStatus, { description: "Where the referral is now" }) status: ReferralStatus;
  @Field(() => Agency, { description: "The agency that received it" }) toAgency: Agency;
  @Field(() => Date, { description: "When the hub created it" }) createdAt: Date;
  @Field(() => Date, { description: "When first contact is due" }) dueAt: Date;
  @Field(() => Boolean, { description: "Past its due time while still awaiting contact" }) overdue: boolean;
  @Field(() => Date, { nullable: true, description: "When it was closed or declined" }) closedAt: Date | null;
}

@ObjectType({ description: "What recording a consent routed" })
export class ConsentRouting {
  @Field(() => [IncidentReferral], { description: "Referrals this consent created (for the person's incidents of the last 30 days)" })
  referrals: IncidentReferral[];
  @Field(() => Boolean, { description: "True when the consent created no referral" })
  noRouteMatched: boolean;
  @Field(() => String, { description: "Why, in a sentence: what was created, or why nothing was" })
  explanation: string;
}
