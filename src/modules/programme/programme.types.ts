import { IsBoolean, IsIn, IsOptional, Matches, MaxLength } from "class-validator";
import { LocalDateResolver } from "../../core/scalars.js";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { AGENCY_CODE } from "../agencies/agency.types.js";
import { CarriageStatus, ReminderKind } from "./programme.enums.js";

@InputType({ description: "A force's programme status as of a date (national monitoring); the same force and date again corrects it" })
export class ProgrammeStatusInput {
  @Field({ description: "The police force" })
  @Matches(AGENCY_CODE, { message: "must be an agency code" })
  forceCode: string;

  @Field(() => CarriageStatus, { description: "Carriage status" })
  @IsIn(Object.values(CarriageStatus))
  carriageStatus: CarriageStatus;

  @Field({ description: "Part of Project ADDER" })
  @IsBoolean()
  adder: boolean;

  @Field(() => String, { nullable: true, description: "The ADDER area" })
  @IsOptional()
  @MaxLength(100)
  adderArea?: string | null;

  @Field(() => Boolean, { nullable: true, description: "MOU with the ambulance service on not downgrading calls" })
  @IsOptional()
  mouWithAmbulance?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "A referral pathway is in place" })
  @IsOptional()
  referralPathway?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Member of a regional naloxone working group" })
  @IsOptional()
  workingGroup?: boolean | null;

  @Field({ description: "The force's data was received" })
  @IsBoolean()
  dataReceived: boolean;

  @Field(() => LocalDateResolver, { description: "The date this status describes (not in the future)" })
  asOf: string;
}

@ObjectType({ description: "A reminder from programme monitoring: kits expiring, or an officer's refresher due" })
export class ProgrammeReminder {
  /** The force it concerns: the collar-number rule reads it. */
  agencyId: string;
  @Field(() => ReminderKind, { description: "What it announces" }) kind: ReminderKind;
  @Field({ description: "The force" }) forceCode: string;
  @Field(() => LocalDateResolver, { description: "The expiry date, or the date the refresher falls due" }) dueOn: string;
  @Field(() => String, { nullable: true, description: "KIT_EXPIRY: the batch" }) batch: string | null;
  @Field(() => Int, { nullable: true, description: "KIT_EXPIRY: kits of the batch still on hand" }) kits: number | null;
  @Field(() => String, { nullable: true, description: "REFRESHER_DUE: the officer's collar number (own force only)" }) collarNumber: string | null;
}
