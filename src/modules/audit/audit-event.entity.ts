import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * One row of the append-only audit log. Rows never carry names or other identifying values: they
 * name the person by pseudonymous id and list which fields were read. A trigger (see the initial
 * migration) refuses UPDATE/DELETE/TRUNCATE and chains each row's hash to the previous row's.
 */
@ObjectType({ description: "An audited action: a write, a read of identifying data, a denial or a grant" })
@Entity({ name: "audit_event" })
@Index("IDX_audit_event_person", ["personId", "at"])
@Index("IDX_audit_event_at", ["at"])
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn("identity", { type: "bigint", generatedIdentity: "ALWAYS" })
  id: string;

  @Field()
  @Column({ type: "timestamptz", default: () => "now()" })
  at: Date;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 64, nullable: true })
  requestId: string | null;

  @Field(() => String, { nullable: true, description: "The user's id at their agency (the token's sub)" })
  @Column({ type: "varchar", length: 128, nullable: true })
  actorSub: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  actorAgencyCode: string | null;

  @Field(() => [String])
  @Column({ type: "text", array: true, default: () => "'{}'" })
  actorRoles: string[];

  @Field({ description: "What happened, e.g. INCIDENT_RECORDED, PERSON_READ, PERSON_READ_DENIED" })
  @Column({ type: "varchar", length: 64 })
  action: string;

  @Field()
  @Column({ type: "varchar", length: 40 })
  entityType: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 64, nullable: true })
  entityId: string | null;

  @Field(() => ID, { nullable: true })
  @Column({ type: "uuid", nullable: true })
  personId: string | null;

  @Field(() => String, { nullable: true, description: "The purpose the actor was acting under" })
  @Column({ type: "varchar", length: 40, nullable: true })
  purpose: string | null;

  @Field(() => String, { nullable: true, description: "The basis that permitted access, or the reason for a denial" })
  @Column({ type: "varchar", length: 80, nullable: true })
  basis: string | null;

  @Field(() => [String], { description: "Identifying fields that were read (or refused)" })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  fields: string[];

  /** Non-personal detail (codes, counts, ids). Not exposed as a field: auditors read the columns. */
  @Column({ type: "jsonb", default: () => "'{}'" })
  detail: Record<string, unknown>;

  /** Position in the hash chain, assigned under a lock by the trigger (ids may commit out of order). */
  @Column({ type: "bigint", unique: true })
  chainSeq: string;

  @Column({ type: "varchar", length: 64 })
  prevHash: string;

  @Column({ type: "varchar", length: 64 })
  hash: string;
}
