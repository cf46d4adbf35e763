import {
  ArrayMaxSize, ArrayUnique, IsDate, IsIn, IsInt, IsLatitude, IsLongitude, IsOptional, Length, Matches, Max, Min, ValidateNested,
} from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { Agency } from "../agencies/agency.entity.js";
import { Connection } from "../../core/pagination.js";
import { AREA_CODE } from "../agencies/agency.types.js";
import { ConsentInput } from "../consent/consent.types.js";
import { FirstAid } from "./first-aid.js";
import { Incident } from "./incident.entity.js";
import { Disposition, Gender, Outcome, Substance } from "./incident.enums.js";
import { LIMITS } from "./incident.policy.js";

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,100}$/;
export const COLLAR_NUMBER = /^[A-Za-z0-9-]{1,20}$/;
export const CAD_REFERENCE = /^[A-Za-z0-9/._:-]{1,40}$/;
// Letters of any script, spaces, hyphens, apostrophes and full stops: enough for real names, nothing executable.
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;

@InputType()
export class LocationInput {
  @Field(() => Float) @IsLatitude({ message: "must be a latitude from -90 to 90" }) lat: number;
  @Field(() => Float) @IsLongitude({ message: "must be a longitude from -180 to 180" }) lng: number;
}

@ObjectType()
export class Location {
  @Field(() => Float) lat: number;
  @Field(() => Float) lng: number;
}

@InputType({ description: "The person, if known: every field is optional" })
export class PersonInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, LIMITS.nameMax)
  @Matches(NAME, { message: "must be letters, spaces, hyphens or apostrophes" })
  givenName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, LIMITS.nameMax)
  @Matches(NAME, { message: "must be letters, spaces, hyphens or apostrophes" })
  familyName?: string | null;

  @Field(() => String, { nullable: true, description: "YYYY-MM-DD" })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date as YYYY-MM-DD" })
  dateOfBirth?: string | null;

  @Field(() => Int, { nullable: true, description: "Age in years (an estimate is fine)" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LIMITS.ageMax)
  ageYears?: number | null;

  @Field(() => Gender, { nullable: true })
  gender?: Gender | null;
}

@InputType({ description: "The standard police naloxone administration form" })
export class NaloxoneAdministrationInput {
  @Field({ description: "Client-chosen key (8-100 of A-Z a-z 0-9 . _ : -): a retry with the same key returns the first incident" })
  @Matches(IDEMPOTENCY_KEY, { message: "must be 8-100 letters, digits, '.', '_', ':' or '-'" })
  idempotencyKey: string;

  @Field({ description: "Date and time of the incident" })
  @IsDate()
  occurredAt: Date;

  @Field({ description: "The area where the officer works; must be served by the officer's force" })
  @Matches(AREA_CODE, { message: "must be an area code" })
  areaCode: string;

  @Field(() => LocationInput, { nullable: true, description: "Where it happened, if recorded; identifying" })
  @IsOptional()
  @ValidateNested()
  location?: LocationInput | null;

  @Field(() => PersonInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  person?: PersonInput | null;

  @Field(() => [Substance], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(11)
  @ArrayUnique({ message: "must not repeat a substance" })
  substances?: Substance[] | null;

  @Field(() => Int, { description: `Doses (actuations) given: 1 to ${LIMITS.dosesMax}` })
  @IsInt()
  @Min(1)
  @Max(LIMITS.dosesMax)
  dosesAdministered: number;

  @Field(() => FirstAid)
  @ValidateNested()
  firstAid: FirstAid;

  @Field(() => Outcome)
  outcome: Outcome;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  ambulanceCalledAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  ambulanceArrivedAt?: Date | null;

  @Field()
  seenByParamedics: boolean;

  @Field()
  resupplyNeeded: boolean;

  @Field(() => Int, { nullable: true, description: "Required and above 0 exactly when resupply is needed" })
  @IsOptional()
  @IsInt()
  @Max(LIMITS.kitsMax)
  kitsRequired?: number | null;

  @Field(() => Boolean, { nullable: true })
  paraphernaliaPresent?: boolean | null;

  @Field(() => Disposition, { nullable: true })
  disposition?: Disposition | null;

  @Field(() => ConsentInput, { nullable: true, description: "The person's consent decision taken on scene, if any" })
  @IsOptional()
  @ValidateNested()
  consent?: ConsentInput | null;

  @Field(() => String, { nullable: true, description: "Defaults to the collar number in the officer's token" })
  @IsOptional()
  @Matches(COLLAR_NUMBER, { message: "must be 1-20 letters, digits or '-'" })
  officerCollarNumber?: string | null;

  @Field(() => String, { nullable: true, description: "The ambulance service's CAD reference, if known: the paramedic finds the incident by it" })
  @IsOptional()
  @Matches(CAD_REFERENCE, { message: "must be 1-40 letters, digits or / . _ : -" })
  ambulanceCadReference?: string | null;
}

@InputType()
export class IncidentFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(AREA_CODE, { message: "must be an area code" })
  areaCode?: string | null;

  @Field(() => Date, { nullable: true, description: "Occurred at or after" })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Occurred before" })
  @IsOptional()
  @IsDate()
  to?: Date | null;

  @Field(() => Outcome, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(Outcome))
  outcome?: Outcome | null;
}

@ObjectType()
export class IncidentConnection extends Connection(Incident, "Incident") {}

@InputType({ description: "What a paramedic knows of the incident they attended: the CAD reference, or the officer's collar number and about when" })
export class HandoverLookup {
  @Field(() => String, { nullable: true, description: "The ambulance CAD reference the officer noted on the form" })
  @IsOptional()
  @Matches(CAD_REFERENCE, { message: "must be a CAD reference" })
  cadReference?: string | null;

  @Field(() => String, { nullable: true, description: "The officer's collar number (with around)" })
  @IsOptional()
  @Matches(COLLAR_NUMBER, { message: "must be a collar number" })
  officerCollarNumber?: string | null;

  @Field(() => Date, { nullable: true, description: "About when it happened (with officerCollarNumber): incidents within 3 hours either side are found" })
  @IsOptional()
  @IsDate()
  around?: Date | null;
}

@ObjectType({ description: "An incident a paramedic may have attended: enough to pick it, nothing about the person" })
export class HandoverCandidate {
  @Field(() => ID, { description: "The incident's id, for recordHandover" }) id: string;
  @Field(() => Date, { description: "When it happened" }) occurredAt: Date;
  @Field(() => String, { description: "The area it happened in" }) areaCode: string;
  @Field(() => Agency, { description: "The force that recorded it" }) recordingAgency: Agency;
}
