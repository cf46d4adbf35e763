import { IsDate, IsOptional, Matches } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
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
}
