import { Length, Matches } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;

@InputType({ description: "Who a data subject says they are: looked up by identity key, never by comparing names" })
export class IdentityInput {
  @Field({ description: "Given name as the person gives it (case, accents and hyphens do not matter)" })
  @Length(1, 100)
  @Matches(NAME, { message: "must be letters, spaces, hyphens or apostrophes" })
  givenName: string;

  @Field({ description: "Family name as the person gives it (case, accents and hyphens do not matter)" })
  @Length(1, 100)
  @Matches(NAME, { message: "must be letters, spaces, hyphens or apostrophes" })
  familyName: string;

  @Field({ description: "Date of birth, YYYY-MM-DD" })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date as YYYY-MM-DD" })
  dateOfBirth: string;
}

export enum HeldRecordKind {
  INCIDENT = "INCIDENT",
  HANDOVER = "HANDOVER",
  CONSENT = "CONSENT",
  EMERGENCY_GRANT = "EMERGENCY_GRANT",
  REFERRAL = "REFERRAL",
  REVIEW = "REVIEW",
  PRISON_RELEASE = "PRISON_RELEASE",
}
registerEnumType(HeldRecordKind, {
  name: "HeldRecordKind",
  description: "Kinds of record the hub holds about a person",
  valuesConfig: {
    INCIDENT: { description: "A police naloxone administration" },
    HANDOVER: { description: "A paramedic handover" },
    CONSENT: { description: "A consent decision (given or refused)" },
    EMERGENCY_GRANT: { description: "A break-glass emergency access grant" },
    REFERRAL: { description: "A referral to an agency" },
    REVIEW: { description: "A 72-hour review" },
    PRISON_RELEASE: { description: "A prison release record linked to the person" },
  },
});

export enum DisclosureKind {
  READ = "READ",
  RECEIVED = "RECEIVED",
}
registerEnumType(DisclosureKind, {
  name: "DisclosureKind",
  description: "How a person's data reached an agency",
  valuesConfig: {
    READ: { description: "A user read identifying fields (an audited PERSON_READ)" },
    RECEIVED: { description: "A referral about the person was sent to the agency" },
  },
});

export enum AccessChannel {
  GRAPHQL = "GRAPHQL",
  SUBSCRIPTION = "SUBSCRIPTION",
  FHIR = "FHIR",
  EXPORT = "EXPORT",
  HUB = "HUB",
}
registerEnumType(AccessChannel, {
  name: "AccessChannel",
  description: "Where a read came through (from the audited request id)",
  valuesConfig: {
    GRAPHQL: { description: "POST /graphql" },
    SUBSCRIPTION: { description: "A graphql-ws subscription event" },
    FHIR: { description: "The FHIR R4 API at /fhir/R4" },
    EXPORT: { description: "A CSV export" },
    HUB: { description: "The hub itself (routing, jobs)" },
  },
});

@ObjectType({ description: "One record the hub holds about the person (no identifying values)" })
export class HeldRecord {
  @Field(() => HeldRecordKind, { description: "What kind of record" }) kind: HeldRecordKind;
  @Field(() => ID, { description: "The record's id" }) id: string;
  @Field({ description: "The agency that holds or made it (agency code)" }) agencyCode: string;
  @Field({ description: "When it happened or was made" }) at: Date;
  @Field(() => String, { nullable: true, description: "Its status, where it has one" }) status: string | null;
}

@ObjectType({ description: "One disclosure of the person's data: who read or received it, when, on what basis, for what purpose" })
export class Disclosure {
  @Field({ description: "When" }) at: Date;
  @Field(() => DisclosureKind, { description: "Read by a user, or received as a referral" }) kind: DisclosureKind;
  @Field({ description: "The agency that read or received it (agency code)" }) agencyCode: string;
  @Field(() => String, { nullable: true, description: "The user (their id at their agency); null for a referral the hub sent" }) actorSub: string | null;
  @Field(() => String, { nullable: true, description: "The basis: RECORDING_AGENCY, DIRECT_CARE, CONSENT, EMERGENCY_GRANT" }) basis: string | null;
  @Field(() => String, { nullable: true, description: "The purpose acted under, if any" }) purpose: string | null;
  @Field(() => [String], { description: "Identifying fields read (empty for a referral)" }) fields: string[];
  @Field(() => AccessChannel, { description: "Where the read came through" }) channel: AccessChannel;
  @Field(() => String, { nullable: true, description: "The consent or grant a referral rested on" }) reference: string | null;
  @Field(() => String, { nullable: true, description: "The audit row recording it (reads)" }) auditEventId: string | null;
  @Field(() => String, { nullable: true, description: "The request the read belonged to" }) requestId: string | null;
}

@ObjectType({ description: "Subject access (UK GDPR Art. 15): what the hub holds about a person and who has seen it (AUDITOR)" })
export class SubjectAccessReport {
  @Field(() => ID, { description: "The person's pseudonymous id" }) personId: string;
  @Field({ description: "When this report was produced" }) generatedAt: Date;
  @Field(() => [String], { description: "Identifying fields the hub holds for the person now (names only, never values)" }) identifyingDataHeld: string[];
  @Field(() => Date, { nullable: true, description: "When retention erased the person's identifying data, if it has" }) identifyingDataErasedAt: Date | null;
  @Field(() => [HeldRecord], { description: "Every record about the person, oldest first" }) records: HeldRecord[];
  @Field(() => [Disclosure], { description: "Every disclosure, oldest first" }) disclosures: Disclosure[];
  @Field(() => Int, { description: "Reads refused by the consent policy (nothing disclosed)" }) refusedReads: number;
  @Field({ description: "True when a list reached its limit (5,000 rows): ask the operator for the full extract" }) truncated: boolean;
}
