import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { Incident } from "../incidents/incident.entity.js";

export enum ReviewStatus {
  OPEN = "OPEN",
  COMPLETED = "COMPLETED",
}
registerEnumType(ReviewStatus, { name: "ReviewStatus" });

/** South Wales 72-hour review of one incident by the area's harm-reduction team. */
@ObjectType({ description: "A 72-hour review of an incident by a harm-reduction lead and case co-ordinator" })
@Entity({ name: "review" })
@Index("IDX_review_incident", ["incidentId"], { unique: true })
@Index("IDX_review_queue", ["agencyId", "status", "dueAt"])
// Partial index of open reviews by due time, by hand in the BenchIndexes migration.
@Index("IDX_review_open_due", { synchronize: false })
export class Review {
  /** Random record key for the cell-key method (docs/disclosure.md): set by the database at insert, never loaded, never in the API. */
  @Column({ type: "integer", default: () => "hub_record_key()", select: false, insert: false, update: false })
  recordKey?: number;

  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "incidentId" })
  incident?: Incident;

  @Column({ type: "uuid" })
  personId: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Field(() => ReviewStatus)
  @Column({ type: "enum", enum: ReviewStatus, enumName: "review_status", default: ReviewStatus.OPEN })
  status: ReviewStatus;

  @Field()
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field({ description: "72 hours (the route's SLA) after the incident occurred" })
  @Column({ type: "timestamptz" })
  dueAt: Date;

  /** Screening result: agency ids whose caseload holds the person's identity key, and when checked. */
  @Column({ type: "jsonb", nullable: true })
  screening: { checkedAt: string; identifiable: boolean; agencyIds: string[] } | null;

  @Field(() => [String], { description: "Actions agreed in the review" })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  actions: string[];

  @Column({ type: "uuid", array: true, default: () => "'{}'" })
  notifiedAgencyIds: string[];

  @Field()
  @Column({ type: "boolean", default: false })
  sharedWithTaskforce: boolean;

  @Field(() => String, { nullable: true, description: "The harm-reduction lead reviewing it (their id at their agency)" })
  @Column({ type: "varchar", length: 128, nullable: true })
  reviewerSub: string | null;

  @Field(() => String, { nullable: true, description: "The case co-ordinator for the area (their id at their agency)" })
  @Column({ type: "varchar", length: 128, nullable: true })
  caseCoordinatorSub: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 128, nullable: true })
  completedBySub: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  completedAt: Date | null;

  /** Reminder stages already published (the job is idempotent across restarts). */
  @Column({ type: "boolean", default: false })
  dueSoonNotified: boolean;

  @Column({ type: "boolean", default: false })
  dueNowNotified: boolean;
}

/** A treatment service's caseload as keyed hashes of identity: never names. */
@Entity({ name: "caseload_entry" })
@Index("IDX_caseload_key", ["identityKey"])
@Index("IDX_caseload_agency", ["agencyId"])
export class CaseloadEntry {
  @PrimaryGeneratedColumn("identity", { type: "bigint" })
  id: string;

  @Column({ type: "uuid" })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "agencyId" })
  agency?: Agency;

  @Column({ type: "varchar", length: 64 })
  identityKey: string;

  @CreateDateColumn({ type: "timestamptz" })
  registeredAt: Date;
}

/** What the Drug Poisoning Taskforce receives from a completed review: no names, no ids, coarse time. */
@ObjectType({ description: "A de-identified summary of a completed review, for the area's taskforce" })
@Entity({ name: "taskforce_summary" })
@Index("IDX_taskforce_summary_agency", ["taskforceAgencyId", "weekStarting"])
export class TaskforceSummary {
  /** Random record key for the cell-key method (docs/disclosure.md): set by the database at insert, never loaded, never in the API. */
  @Column({ type: "integer", default: () => "hub_record_key()", select: false, insert: false, update: false })
  recordKey?: number;

  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  taskforceAgencyId: string;

  @ManyToOne(() => Agency, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "taskforceAgencyId" })
  taskforceAgency?: Agency;

  /** The review it came from (null for summaries shared before reviews were linked): never in the API. */
  @Column({ type: "uuid", nullable: true, select: false })
  reviewId?: string | null;

  @ManyToOne(() => Review, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "reviewId", foreignKeyConstraintName: "FK_taskforce_summary_review" })
  review?: Review;

  @Field()
  @Column({ type: "varchar", length: 40 })
  areaCode: string;

  @Field({ description: "Monday of the week the incident happened (YYYY-MM-DD)" })
  @Column({ type: "date" })
  weekStarting: string;

  @Field()
  @Column({ type: "varchar", length: 40 })
  outcome: string;

  @Field(() => [String])
  @Column({ type: "text", array: true, default: () => "'{}'" })
  substances: string[];

  @Field({ description: "Whether screening found the person known to a health service" })
  @Column({ type: "boolean" })
  knownToServices: boolean;

  @Field()
  @Column({ type: "integer" })
  servicesNotified: number;

  @Field()
  @Column({ type: "integer" })
  actionsAgreed: number;

  @Field()
  @Column({ type: "boolean" })
  completedWithinDeadline: boolean;
}
