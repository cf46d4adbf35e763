import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * One row of the append-only audit log. Rows never carry names or other identifying values: they
 * name the person by pseudonymous id and list which fields were read. A trigger (see the initial
 * migration) refuses UPDATE/DELETE/TRUNCATE; the sealer (src/core/audit/sealer.ts) gives each committed row
 * its place in an RFC 6962 Merkle tree and signs checkpoints of it.
 */
@ObjectType({ description: "An audited action: a write, a read of identifying data, a denial or a grant" })
@Entity({ name: "audit_event" })
@Index("IDX_audit_event_person", ["personId", "at"])
@Index("IDX_audit_event_at", ["at"])
@Index("IDX_audit_event_unsealed", { synchronize: false })
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

  /**
   * Position in the log (1-based; Merkle leaf index chainSeq - 1), given once by the sealer after the
   * row's transaction committed. Null until sealed.
   */
  @Field(() => Int, { nullable: true, name: "seq", description: "Position in the audit log's Merkle tree (1-based), null until the row is sealed" })
  @Column({ type: "bigint", unique: true, nullable: true })
  chainSeq: string | null;

  /** Unused since the Merkle tree (kept for readers of the old hash chain); null. */
  @Column({ type: "varchar", length: 64, nullable: true })
  prevHash: string | null;

  /** The row's RFC 6962 leaf hash (hex), set by the sealer; null until sealed. */
  @Column({ type: "varchar", length: 64, nullable: true })
  hash: string | null;

  /** The inserting transaction's id (xid8 as bigint), set by a trigger: the sealer's horizon test. */
  @Column({ type: "bigint", select: false })
  txid: string;
}
