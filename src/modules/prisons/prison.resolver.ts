import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import DataLoader from "dataloader";
import { type Context, loadRequired, requireActor } from "../../core/context.js";
import { Agency } from "../agencies/agency.entity.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { Person } from "../people/person.entity.js";
import { PrisonRelease } from "./prison.entity.js";
import { PrisonService } from "./prison.service.js";
import { PrisonCoverage, PrisonCoverageFilter, PrisonReleaseConnection, PrisonReleaseInput, TakeHomeNaloxoneStatus } from "./prison.types.js";

@Resolver(() => PrisonRelease)
export class PrisonResolver {
  @Mutation(() => PrisonRelease, { description: "Record a prison release and its THN journey (PRISON_NALOXONE_LEAD). Retrying with the same idempotencyKey returns the first record." })
  recordPrisonRelease(@Arg("input", () => PrisonReleaseInput) input: PrisonReleaseInput, @Ctx() ctx: Context): Promise<PrisonRelease> {
    return new PrisonService(ctx).record(requireActor(ctx), input);
  }

  @Query(() => PrisonReleaseConnection, { description: "Your prison's release records (PRISON_NALOXONE_LEAD), newest recorded first" })
  prisonReleases(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<PrisonReleaseConnection> {
    return new PrisonService(ctx).list(requireActor(ctx), first, after);
  }

  @Query(() => PrisonCoverage, { description: "Share of opioid users released with take-home naloxone, by prison and month over whole months, small numbers suppressed" })
  prisonNaloxoneCoverage(
    @Ctx() ctx: Context,
    @Arg("filter", () => PrisonCoverageFilter, { nullable: true, description: "Months and prison" }) filter: PrisonCoverageFilter | null,
  ): Promise<PrisonCoverage> {
    return new PrisonService(ctx).coverage(requireActor(ctx), filter);
  }

  @FieldResolver(() => Agency, { description: "The prison that recorded it" })
  async prison(@Root() release: PrisonRelease, @Ctx() ctx: Context): Promise<Agency> {
    return loadRequired(agencyById(ctx), release.agencyId, "prison release agency");
  }
}

/** Person.takeHomeNaloxone: the latest recorded release of the person, batched per request. */
@Resolver(() => Person)
export class PersonTakeHomeNaloxoneResolver {
  @FieldResolver(() => TakeHomeNaloxoneStatus, { nullable: true, description: "Latest prison release: whether the person left with a naloxone kit" })
  async takeHomeNaloxone(@Root() person: Person, @Ctx() ctx: Context): Promise<TakeHomeNaloxoneStatus | null> {
    return latestReleaseByPerson(ctx).load(person.id);
  }
}

const latestReleaseByPerson = (ctx: Context) =>
  ctx.loaders.get(
    "latestReleaseByPerson",
    () =>
      new DataLoader<string, TakeHomeNaloxoneStatus | null>(async (ids) => {
        const rows: Array<{ personId: string; releasedWithKit: boolean; releaseDate: string }> = await ctx.dataSource.query(
          `SELECT DISTINCT ON ("personId") "personId", "releasedWithKit", "releaseDate"
             FROM prison_release WHERE "personId" = ANY($1::uuid[]) ORDER BY "personId", "releaseDate" DESC, "recordedAt" DESC`,
          [ids],
        );
        return ids.map((id) => rows.find((r) => r.personId === id) ?? null);
      }),
  );
