import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../core/context.js";
import { AuditEvent } from "./audit-event.entity.js";
import { AuditService } from "./audit.service.js";
import { AuditChainReport, AuditEventConnection, AuditEventFilter } from "./audit.types.js";

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

  @Query(() => AuditChainReport, { description: "Re-compute the audit log's hash chain and report the first broken link (AUDITOR)" })
  verifyAuditChain(@Ctx() ctx: Context): Promise<AuditChainReport> {
    return new AuditService(ctx).verifyChain();
  }
}
