import { Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../core/context.js";
import { RetentionService } from "./retention.service.js";
import { RetentionReport } from "./retention.types.js";

@Resolver()
export class RetentionResolver {
  @Query(() => RetentionReport, { description: "Identifying data past its retention period, and the erasures done (AUDITOR)" })
  retentionReport(@Ctx() ctx: Context): Promise<RetentionReport> {
    return new RetentionService(ctx).report();
  }
}
