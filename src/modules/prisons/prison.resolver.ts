import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../core/context.js";
import { unauthenticated } from "../../core/errors.js";
import { Agency } from "../agencies/agency.entity.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { PrisonRelease } from "./prison.entity.js";
import { PrisonService } from "./prison.service.js";
import { PrisonCoverage, PrisonCoverageFilter, PrisonReleaseConnection, PrisonReleaseInput } from "./prison.types.js";

const actorOf = (ctx: Context) => ctx.actor ?? (() => { throw unauthenticated(); })();

@Resolver(() => PrisonRelease)
export class PrisonResolver {
  @Mutation(() => PrisonRelease, { description: "Record a prison release and its THN journey (PRISON_NALOXONE_LEAD). Retrying with the same idempotencyKey returns the first record." })
  recordPrisonRelease(@Arg("input", () => PrisonReleaseInput) input: PrisonReleaseInput, @Ctx() ctx: Context): Promise<PrisonRelease> {
    return new PrisonService(ctx).record(actorOf(ctx), input);
  }

  @Query(() => PrisonReleaseConnection, { description: "Your prison's release records (PRISON_NALOXONE_LEAD), newest recorded first" })
  prisonReleases(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<PrisonReleaseConnection> {
    return new PrisonService(ctx).list(actorOf(ctx), first, after);
  }

  @Query(() => PrisonCoverage, { description: "Share of opioid users released with take-home naloxone, by prison and month, small numbers suppressed" })
  prisonNaloxoneCoverage(@Ctx() ctx: Context, @Arg("filter", () => PrisonCoverageFilter, { nullable: true }) filter: PrisonCoverageFilter | null): Promise<PrisonCoverage> {
    return new PrisonService(ctx).coverage(filter);
  }

  @FieldResolver(() => Agency, { description: "The prison that recorded it" })
  async prison(@Root() release: PrisonRelease, @Ctx() ctx: Context): Promise<Agency> {
    const agency = await agencyById(ctx).load(release.agencyId);
    if (!agency) throw new Error("prison release agency missing");
    return agency;
  }
}
