import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum RetentionKind {
  PERSON_IDENTITY = "PERSON_IDENTITY",
  INCIDENT_LOCATION = "INCIDENT_LOCATION",
  FREE_TEXT = "FREE_TEXT",
}
registerEnumType(RetentionKind, {
  name: "RetentionKind",
  description: "What retention erases",
  valuesConfig: {
    PERSON_IDENTITY: { description: "A person's names, date of birth, age, gender and identity key, their incidents' precise locations and free text about them" },
    INCIDENT_LOCATION: { description: "An incident's precise location (coordinates and the finest H3 cells)" },
    FREE_TEXT: { description: "Free text that may identify the person: handover condition and circumstances, referral notes, consent withdrawal reasons" },
  },
});

@ObjectType({ description: "The retention settings in force" })
export class RetentionSettings {
  @Field(() => Int, { description: "Days after a person's last activity that their identifying data is kept (RETENTION_PERSON_DAYS)" }) personDays: number;
  @Field(() => Int, { description: "Days after an incident that its precise location is kept (RETENTION_LOCATION_DAYS)" }) locationDays: number;
  @Field(() => Int, { description: "Days after a handover, referral step or withdrawal that its free text is kept (RETENTION_FREE_TEXT_DAYS)" }) freeTextDays: number;
  @Field({ description: "True when the job only reports what is due (RETENTION_DRY_RUN)" }) dryRun: boolean;
}

@ObjectType({ description: "A record whose identifying data is past its retention period" })
export class RetentionDue {
  @Field(() => RetentionKind, { description: "What falls due" }) kind: RetentionKind;
  @Field(() => ID, { description: "The person's, incident's or record's id" }) id: string;
  @Field({ description: "When it fell due" }) dueSince: Date;
}

@ObjectType({ description: "An erasure retention carried out (from the audit log)" })
export class RetentionErasure {
  @Field(() => RetentionKind, { description: "What was erased" }) kind: RetentionKind;
  @Field(() => ID, { description: "The person's, incident's or record's id" }) id: string;
  @Field({ description: "When" }) at: Date;
  @Field(() => [String], { description: "The fields erased" }) fields: string[];
  @Field(() => ID, { description: "The audit row recording it" }) auditEventId: string;
}

@ObjectType({ description: "What retention has due and what it has done (AUDITOR)" })
export class RetentionReport {
  @Field(() => RetentionSettings, { description: "The settings in force" }) settings: RetentionSettings;
  @Field(() => Int, { description: "People whose identifying data is past its period" }) peopleDue: number;
  @Field(() => Int, { description: "Incidents whose precise location is past its period" }) locationsDue: number;
  @Field(() => Int, { description: "Records whose free text is past its period" }) freeTextDue: number;
  @Field(() => [RetentionDue], { description: "The longest overdue first (at most 100)" }) due: RetentionDue[];
  @Field(() => Int, { description: "Erasures carried out so far" }) erasedTotal: number;
  @Field(() => [RetentionErasure], { description: "The latest erasures first (at most 100)" }) done: RetentionErasure[];
  @Field(() => Date, { nullable: true, description: "When the retention job last ran" }) lastRunAt: Date | null;
}
