import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { Incident } from "../incidents/incident.entity.js";
import { Person } from "../people/person.entity.js";
import { Pathway } from "../routes/route.entity.js";

export enum ReferralStatus {
  OPEN = "OPEN",
  ACCEPTED = "ACCEPTED",
  CONTACT_ATTEMPTED = "CONTACT_ATTEMPTED",
  ENGAGED = "ENGAGED",
  DECLINED = "DECLINED",
  CLOSED = "CLOSED",
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(ReferralStatus, { name: "ReferralStatus" });

/**
 * A referral of one person after one incident to one agency along one pathway. The unique
 * constraint makes routing exactly-once whatever order incident, consent and handover arrive in.
 */
@ObjectType({ description: "A referral in an agency's inbox" })
@Entity({ name: "referral" })
@Unique("UQ_referral_once", ["incidentId", "pathway", "toAgencyId"])
@Index("IDX_referral_inbox", ["toAgencyId", "status", "dueAt"])
@Index("IDX_referral_inbox_due", ["toAgencyId", "dueAt", "id"])
@Index("IDX_referral_person", ["personId"])
@Index("IDX_referral_consent", ["consentId"])
export class Referral {
  /** Random record key for the cell-key method (docs/disclosure.md): set by the database at insert, never loaded, never in the API. */
  @Column({ type: "integer", default: () => "hub_record_key()", select: false, insert: false, update: false })
  recordKey?: number;

  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => Pathway)
  @Column({ type: "enum", enum: Pathway, enumName: "pathway" })
  pathway: Pathway;

  @Field(() => ReferralStatus)
  @Column({ type: "enum", enum: ReferralStatus, enumName: "referral_status", default: ReferralStatus.OPEN })
  status: ReferralStatus;

  @Column({ type: "uuid" })
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incidentId" })
  incident?: Incident;

  @Column({ type: "uuid" })
  personId: string;

  @ManyToOne(() => Person, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "personId" })
  person?: Person;

  @Column({ type: "uuid" })
  fromAgencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "fromAgencyId" })
  fromAgency?: Agency;

  @Column({ type: "uuid" })
  toAgencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "toAgencyId" })
  toAgency?: Agency;

  /** The consent that allowed the referral, if that was its basis (withdrawal withdraws it). */
  @Column({ type: "uuid", nullable: true })
  consentId: string | null;

  /** The emergency grant that allowed it, if that was its basis. */
  @Column({ type: "uuid", nullable: true })
  grantId: string | null;

  @Column({ type: "uuid", nullable: true })
  forwardedFromId: string | null;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field({ description: "When the receiving agency should have acted (route SLA)" })
  @Column({ type: "timestamptz" })
  dueAt: Date;

  @Field(() => String, { nullable: true, description: "How it ended, for CLOSED or DECLINED referrals" })
  @Column({ type: "varchar", length: 40, nullable: true })
  outcome: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  firstContactAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  closedAt: Date | null;
}

@ObjectType({ description: "One step in a referral's life: who moved it, when, and why" })
@Entity({ name: "referral_event" })
@Index("IDX_referral_event_referral", ["referralId", "at"])
export class ReferralEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  referralId: string;

  @ManyToOne(() => Referral, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "referralId" })
  referral?: Referral;

  @Field({ description: "CREATED, ACCEPTED, DECLINED, CONTACT_ATTEMPTED, ENGAGED, FORWARDED, CLOSED or WITHDRAWN" })
  @Column({ type: "varchar", length: 30 })
  type: string;

  @Field(() => ReferralStatus, { nullable: true })
  @Column({ type: "enum", enum: ReferralStatus, enumName: "referral_status", nullable: true })
  fromStatus: ReferralStatus | null;

  @Field(() => ReferralStatus)
  @Column({ type: "enum", enum: ReferralStatus, enumName: "referral_status" })
  toStatus: ReferralStatus;

  @Field({ description: "The user (their id at their agency), or 'system' for routing and withdrawal" })
  @Column({ type: "varchar", length: 128 })
  actorSub: string;

  @Column({ type: "uuid", nullable: true })
  agencyId: string | null;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  at: Date;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 1000, nullable: true })
  note: string | null;
}
