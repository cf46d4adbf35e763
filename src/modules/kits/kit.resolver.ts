import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Context, requireActor } from "../../core/context.js";
import { StockCount, StockMovement } from "./kit.entity.js";
import { KitService } from "./kit.service.js";
import { DistributionPauseInput, DistributionState, KitReconciliation, StockCountInput, StockFilter, StockLocation, StockMovementInput, StockSummary } from "./kit.types.js";

@Resolver(() => StockMovement)
export class KitResolver {
  @Mutation(() => StockMovement, { description: "Record a movement of your force's naloxone kits (FORCE_LEAD). Retrying with the same idempotencyKey returns the first movement." })
  recordStockMovement(@Arg("input", () => StockMovementInput, { description: "What to record" }) input: StockMovementInput, @Ctx() ctx: Context): Promise<StockMovement> {
    return new KitService(ctx).recordMovement(requireActor(ctx), input);
  }

  @Mutation(() => StockCount, { description: "Record a physical count of the kits at one location (FORCE_LEAD); reconciliation compares it with the movements" })
  recordStockCount(@Arg("input", () => StockCountInput, { description: "What to record" }) input: StockCountInput, @Ctx() ctx: Context): Promise<StockCount> {
    return new KitService(ctx).recordCount(requireActor(ctx), input);
  }

  @Mutation(() => DistributionState, { description: "Pause (with a reason) or resume your force's kit distribution (FORCE_LEAD)" })
  setDistributionPaused(@Arg("input", () => DistributionPauseInput, { description: "What to record" }) input: DistributionPauseInput, @Ctx() ctx: Context): Promise<DistributionState> {
    return new KitService(ctx).setDistributionPaused(requireActor(ctx), input);
  }

  @Query(() => StockSummary, { description: "Kits on hand by location, kits expiring within `days`, resupply outstanding, distribution paused (FORCE_LEAD: own force; PROGRAMME_LEAD: the force named)" })
  stock(@Ctx() ctx: Context, @Arg("filter", () => StockFilter, { nullable: true, description: "What to include" }) filter: StockFilter | null): Promise<StockSummary> {
    return new KitService(ctx).stock(requireActor(ctx), filter);
  }

  @Query(() => KitReconciliation, { description: "Issued - used - expired - lost - returned against on hand, with every discrepancy (FORCE_LEAD: own force; PROGRAMME_LEAD: the force named)" })
  kitReconciliation(@Ctx() ctx: Context, @Arg("filter", () => StockFilter, { nullable: true, description: "What to include" }) filter: StockFilter | null): Promise<KitReconciliation> {
    return new KitService(ctx).reconciliation(requireActor(ctx), filter);
  }

  @FieldResolver(() => StockLocation, { description: "PROCURED: where the kits arrived; ISSUED: who or what received them; otherwise where they were" })
  location(@Root() m: StockMovement): StockLocation {
    return { agencyId: m.agencyId, kind: m.locationKind, reference: m.locationRef };
  }

  @FieldResolver(() => StockLocation, { nullable: true, description: "ISSUED: where the kits came from; RETURNED: where they went back to" })
  counterpart(@Root() m: StockMovement): StockLocation | null {
    return m.counterpartKind && m.counterpartRef ? { agencyId: m.agencyId, kind: m.counterpartKind, reference: m.counterpartRef } : null;
  }
}

@Resolver(() => StockCount)
export class StockCountResolver {
  @FieldResolver(() => StockLocation, { description: "Where the count was taken" })
  location(@Root() c: StockCount): StockLocation {
    return { agencyId: c.agencyId, kind: c.locationKind, reference: c.locationRef };
  }
}
