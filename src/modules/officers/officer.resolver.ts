import DataLoader from "dataloader";
import { LocalDateResolver } from "../../core/scalars.js";
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Context, requireActor } from "../../core/context.js";
import { Officer, TrainingRecord } from "./officer.entity.js";
import { refresherDue } from "./officer.policy.js";
import { OfficerService } from "./officer.service.js";
import { OfficerConnection, OfficerFilter, OfficerInput, TrainingInput } from "./officer.types.js";

const trainingsByOfficer = (ctx: Context) =>
  ctx.loaders.get(
    "trainingsByOfficer",
    () =>
      new DataLoader<string, TrainingRecord[]>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(TrainingRecord).createQueryBuilder("t").where(`t."officerId" = ANY(:ids)`, { ids: [...ids] }).orderBy(`t."trainedOn"`, "ASC").addOrderBy("t.id").getMany();
        return ids.map((id) => rows.filter((r) => r.officerId === id));
      }),
  );

@Resolver(() => Officer)
export class OfficerResolver {
  @Mutation(() => Officer, { description: "Register an officer on your force's roster, or update the entry for that collar number (FORCE_LEAD)" })
  registerOfficer(@Arg("input", () => OfficerInput, { description: "What to record" }) input: OfficerInput, @Ctx() ctx: Context): Promise<Officer> {
    return new OfficerService(ctx).register(requireActor(ctx), input);
  }

  @Mutation(() => TrainingRecord, { description: "Record an officer's training (FORCE_LEAD). A retry returns the first record." })
  recordTraining(@Arg("input", () => TrainingInput, { description: "What to record" }) input: TrainingInput, @Ctx() ctx: Context): Promise<TrainingRecord> {
    return new OfficerService(ctx).recordTraining(requireActor(ctx), input);
  }

  @Query(() => OfficerConnection, { description: "Your force's naloxone roster (FORCE_LEAD)" })
  officers(
    @Ctx() ctx: Context,
    @Arg("filter", () => OfficerFilter, { nullable: true, description: "What to include" }) filter: OfficerFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size" }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Cursor of the last officer of the previous page" }) after: string | null,
  ): Promise<OfficerConnection> {
    return new OfficerService(ctx).list(requireActor(ctx), filter, first, after);
  }

  @FieldResolver(() => [TrainingRecord], { description: "Training records, oldest first" })
  trainings(@Root() o: Officer, @Ctx() ctx: Context): Promise<TrainingRecord[]> {
    return trainingsByOfficer(ctx).load(o.id);
  }

  @FieldResolver(() => LocalDateResolver, { nullable: true, description: "When the next refresher falls due (REFRESHER_MONTHS after the latest training); null if never trained" })
  async refresherDueOn(@Root() o: Officer, @Ctx() ctx: Context): Promise<string | null> {
    const t = await trainingsByOfficer(ctx).load(o.id);
    return refresherDue(t.at(-1)?.trainedOn ?? null, ctx.config.programme.refresherMonths);
  }
}
