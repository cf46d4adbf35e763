import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { AgencyKind } from "../../core/auth/roles.js";
import { Agency } from "../agencies/agency.entity.js";
import { Person } from "../people/person.entity.js";
import { Purpose } from "./purpose.js";

export enum ConsentDecision {
  GIVEN = "GIVEN",
  REFUSED = "REFUSED",
}
registerEnumType(ConsentDecision, { name: "ConsentDecision" });

export enum ConsentMethod {
  VERBAL = "VERBAL",
  WRITTEN = "WRITTEN",
  ELECTRONIC = "ELECTRONIC",
}
registerEnumType(ConsentMethod, { name: "ConsentMethod" });

export enum ConsentStatus {
  ACTIVE = "ACTIVE",
  EXPIRED = "EXPIRED",
  WITHDRAWN = "WITHDRAWN",
  REFUSED = "REFUSED",
}
registerEnumType(ConsentStatus, { name: "ConsentStatus", description: "Derived at read time: expiry needs no job, withdrawal acts on the next request" });

/** A person's decision about sharing their identifying data, per purpose and recipient. */
@ObjectType({ description: "A consent decision: for which purposes, to which recipients, until when" })
@Entity({ name: "consent" })
@Index("IDX_consent_person", ["personId", "obtainedAt"])
export class Consent {
  /** Random record key for the cell-key method (docs/disclosure.md): set by the database at insert, never loaded, never in the API. */
  @Column({ type: "integer", default: () => "hub_record_key()", select: false, insert: false, update: false })
  recordKey?: number;

  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => ID)
  @Column({ type: "uuid" })
  personId: string;

  @ManyToOne(() => Person, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "personId" })
  person?: Person;

  /** The incident during which it was obtained (on-scene consent), if any. */
  @Column({ type: "uuid", nullable: true })
  incidentId: string | null;

  @Field(() => ConsentDecision)
  @Column({ type: "enum", enum: ConsentDecision, enumName: "consent_decision" })
  decision: ConsentDecision;

  @Field(() => [Purpose])
  @Column({ type: "enum", enum: Purpose, enumName: "purpose", array: true })
  purposes: Purpose[];

  @Field(() => [AgencyKind], { description: "Recipients by kind: agencies of that kind serving an area where the person's incidents happened" })
  @Column({ type: "enum", enum: AgencyKind, enumName: "agency_kind", array: true, default: () => "'{}'" })
  recipientKinds: AgencyKind[];

  @Field(() => [String], { description: "Recipients named by agency code" })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  recipientAgencyCodes: string[];

  @Field(() => ConsentMethod)
  @Column({ type: "enum", enum: ConsentMethod, enumName: "consent_method" })
  method: ConsentMethod;

  @Field()
  @Column({ type: "timestamptz" })
  obtainedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  expiresAt: Date | null;

  @Column({ type: "uuid" })
  recordedByAgencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "recordedByAgencyId" })
  recordedByAgency?: Agency;

  @Column({ type: "varchar", length: 128 })
  recordedBySub: string;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  recordedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  withdrawnAt: Date | null;

  @Column({ type: "uuid", nullable: true })
  withdrawnByAgencyId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 500, nullable: true })
  withdrawalReason: string | null;
}
