import { IsDate, IsOptional, Matches } from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "../../core/pagination.js";
import { AuditEvent } from "./audit-event.entity.js";

@InputType()
export class AuditEventFilter {
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(/^[A-Z_]{3,64}$/, { message: "must be an action name" }) action?: string | null;
  @Field(() => ID, { nullable: true }) personId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(/^[A-Z][A-Z0-9_-]{1,31}$/, { message: "must be an agency code" }) actorAgencyCode?: string | null;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() from?: Date | null;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() to?: Date | null;
}

@ObjectType()
export class AuditEventConnection extends Connection(AuditEvent, "AuditEvent") {}

@ObjectType({ description: "Result of re-computing the audit log's hash chain" })
export class AuditChainReport {
  @Field({ description: "True when every row matches its hash and follows its predecessor" }) intact: boolean;
  @Field(() => Int) rowsChecked: number;
  @Field(() => String, { nullable: true, description: "Chain position of the first broken link" }) firstBrokenSeq: string | null;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => Int, { description: "Sequence number of the last sealed row: the size of the Merkle tree the rows were checked against" }) sealedThrough: number;
  @Field(() => Int, { description: "Rows written but not yet sealed into the tree (the sealer takes them within the stated maximum seal delay)" }) unsealed: number;
  @Field(() => Float, { description: "Seconds the oldest unsealed row has waited (0 when every row is sealed)" }) sealLagSeconds: number;
  @Field(() => Int, { description: "Signed checkpoints whose root was re-computed from the rows" }) checkpointsChecked: number;
}

@ObjectType({ description: "The audit log's latest signed tree head: sizes, a root and a signature, never a row" })
export class AuditCheckpoint {
  @Field(() => Int, { description: "Leaves (sealed rows) in the tree" }) treeSize: number;
  @Field({ description: "RFC 6962 Merkle tree root, hex" }) rootHash: string;
  @Field({ description: "When the hub signed this checkpoint" }) signedAt: Date;
  @Field({ description: "The C2SP signed note: tlog-checkpoint body plus the Ed25519 signature line, as GET /audit/checkpoint serves it" }) note: string;
  @Field({ description: "The signing key's name (the log's origin)" }) keyName: string;
}
