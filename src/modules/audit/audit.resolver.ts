import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../core/context.js";
import { AuditEvent } from "./audit-event.entity.js";
import { AuditService } from "./audit.service.js";
import { AuditChainReport, AuditCheckpoint, AuditEventConnection, AuditEventFilter } from "./audit.types.js";

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: "The audit log, newest first (AUDITOR)" })
  auditEvents(
    @Ctx() ctx: Context,
    @Arg("filter", () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<AuditEventConnection> {
    return new AuditService(ctx).events(filter, first, after);
  }

  @Query(() => [AuditEvent], { description: "Every read, and refused read, of one person's identifying data (AUDITOR)" })
  accessReport(@Arg("personId", () => ID) personId: string, @Ctx() ctx: Context): Promise<AuditEvent[]> {
    return new AuditService(ctx).accessReport(personId);
  }

  @Query(() => AuditChainReport, { description: "Re-compute the audit log's Merkle tree from the rows and report the first broken link (AUDITOR)" })
  verifyAuditChain(@Ctx() ctx: Context): Promise<AuditChainReport> {
    return new AuditService(ctx).verifyChain();
  }

  @Query(() => AuditCheckpoint, { description: "The audit log's latest signed checkpoint (AUDITOR; the note is public at GET /audit/checkpoint)" })
  auditCheckpoint(@Ctx() ctx: Context): Promise<AuditCheckpoint> {
    return new AuditService(ctx).checkpoint();
  }

  @Query(() => [String], { description: "RFC 6962 inclusion proof (hex hashes, leaf upwards) of the row with this sequence number in the tree of treeSize rows (AUDITOR)" })
  auditInclusionProof(
    @Arg("seq", () => Int, { description: "The row's sequence number (AuditEvent.seq, from 1)" }) seq: number,
    @Arg("treeSize", () => Int, { description: "Size of the tree, at most the latest checkpoint's" }) treeSize: number,
    @Ctx() ctx: Context,
  ): Promise<string[]> {
    return new AuditService(ctx).inclusionProof(seq, treeSize);
  }

  @Query(() => [String], { description: "RFC 6962 consistency proof (hex hashes) that the tree of toSize rows extends the tree of fromSize rows, re-computed from the rows (AUDITOR)" })
  auditConsistencyProof(
    @Arg("fromSize", () => Int, { description: "The older tree size" }) fromSize: number,
    @Arg("toSize", () => Int, { description: "The newer tree size, at most the latest checkpoint's" }) toSize: number,
    @Ctx() ctx: Context,
  ): Promise<string[]> {
    return new AuditService(ctx).consistencyProof(fromSize, toSize);
  }
}
