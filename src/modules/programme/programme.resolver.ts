import DataLoader from "dataloader";
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { type Context, loadRequired, requireActor } from "../../core/context.js";
import { Topic, type TopicPayloads } from "../../core/pubsub.js";
import { agencyById } from "../agencies/agency.loaders.js";
import { DistributionState } from "../kits/kit.types.js";
import { ProgrammeKpiService } from "./kpi.service.js";
import { ProgrammeKpiFilter, ProgrammeKpis } from "./kpi.types.js";
import { ReminderKind } from "./programme.enums.js";
import { ProgrammeReminder, ProgrammeStatusInput } from "./programme.types.js";
import { ProgrammeStatus } from "./status.entity.js";
import { ProgrammeStatusService } from "./status.service.js";

const historyByForce = (ctx: Context) =>
  ctx.loaders.get(
    "programmeHistoryByForce",
    () =>
      new DataLoader<string, ProgrammeStatus[]>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(ProgrammeStatus).createQueryBuilder("s").where(`s."agencyId" = ANY(:ids)`, { ids: [...ids] }).orderBy(`s."asOf"`, "DESC").getMany();
        return ids.map((id) => rows.filter((r) => r.agencyId === id));
      }),
  );

const distributionByForce = (ctx: Context) =>
  ctx.loaders.get(
    "distributionByForce",
    () =>
      new DataLoader<string, DistributionState>(async (ids) => {
        const rows: Array<{ agencyId: string; paused: boolean; reason: string | null; at: Date }> = await ctx.dataSource.query(
          `SELECT DISTINCT ON ("agencyId") "agencyId", paused, reason, at FROM distribution_status WHERE "agencyId" = ANY($1::uuid[]) ORDER BY "agencyId", at DESC, id DESC`,
          [[...ids]],
        );
        return ids.map((id) => {
          const r = rows.find((x) => x.agencyId === id);
          return r ? { paused: r.paused, reason: r.reason, since: r.at } : { paused: false, reason: null, since: null };
        });
      }),
  );

@Resolver(() => ProgrammeStatus)
export class ProgrammeResolver {
  @Mutation(() => ProgrammeStatus, { description: "Record a force's programme status as of a date (PROGRAMME_LEAD); the same force and date again corrects it" })
  setProgrammeStatus(@Arg("input", () => ProgrammeStatusInput, { description: "What to record" }) input: ProgrammeStatusInput, @Ctx() ctx: Context): Promise<ProgrammeStatus> {
    return new ProgrammeStatusService(ctx).set(requireActor(ctx), input);
  }

  @Query(() => [ProgrammeStatus], { description: "Each force's current programme status (PROGRAMME_LEAD: every force; FORCE_LEAD: own force)" })
  programmeStatus(@Ctx() ctx: Context): Promise<ProgrammeStatus[]> {
    return new ProgrammeStatusService(ctx).current(requireActor(ctx));
  }

  @Query(() => ProgrammeKpis, { description: "Programme KPIs: administrations per 100 carrying officers, training, refresher compliance, kits, funding by strand, forces by status; small numbers suppressed" })
  programmeKpis(@Ctx() ctx: Context, @Arg("filter", () => ProgrammeKpiFilter, { nullable: true, description: "What to include" }) filter: ProgrammeKpiFilter | null): Promise<ProgrammeKpis> {
    return new ProgrammeKpiService(ctx).kpis(requireActor(ctx), filter);
  }

  @Subscription(() => ProgrammeReminder, {
    description: "Your force's kits about to expire and officers' refreshers falling due (FORCE_LEAD), each announced once",
    topics: Topic.PROGRAMME_REMINDER,
    filter: ({ payload, context }: { payload: TopicPayloads["PROGRAMME_REMINDER"]; context: Context }) => payload.agencyId === context.actor?.agency.id,
  })
  async programmeReminder(@Root() p: TopicPayloads["PROGRAMME_REMINDER"], @Ctx() ctx: Context): Promise<ProgrammeReminder> {
    const force = await loadRequired(agencyById(ctx), p.agencyId, "reminder force");
    const base = { agencyId: p.agencyId, kind: p.kind as ReminderKind, forceCode: force.code, dueOn: p.dueOn, batch: null, kits: null, collarNumber: null };
    if (p.kind === ReminderKind.KIT_EXPIRY) {
      const [b] = await ctx.dataSource.query(
        `SELECT b.batch, (SELECT coalesce(sum(l.delta), 0)::int FROM stock_ledger l WHERE l."batchId" = b.id) AS kits FROM kit_batch b WHERE b.id = $1 AND b."agencyId" = $2`,
        [p.subjectId, p.agencyId],
      );
      return { ...base, batch: b?.batch ?? null, kits: b?.kits ?? null };
    }
    const [o] = await ctx.dataSource.query(`SELECT "collarNumber" FROM officer WHERE id = $1 AND "agencyId" = $2`, [p.subjectId, p.agencyId]);
    return { ...base, collarNumber: o?.collarNumber ?? null };
  }

  @FieldResolver(() => String, { description: "The force" })
  async forceCode(@Root() s: ProgrammeStatus, @Ctx() ctx: Context): Promise<string> {
    return (await loadRequired(agencyById(ctx), s.agencyId, "status force")).code;
  }

  @FieldResolver(() => String, { description: "The force's name" })
  async forceName(@Root() s: ProgrammeStatus, @Ctx() ctx: Context): Promise<string> {
    return (await loadRequired(agencyById(ctx), s.agencyId, "status force")).name;
  }

  @FieldResolver(() => [ProgrammeStatus], { description: "Every recorded status of the force, latest first" })
  history(@Root() s: ProgrammeStatus, @Ctx() ctx: Context): Promise<ProgrammeStatus[]> {
    return historyByForce(ctx).load(s.agencyId);
  }

  @FieldResolver(() => DistributionState, { description: "Whether the force has paused kit distribution, and why" })
  distribution(@Root() s: ProgrammeStatus, @Ctx() ctx: Context): Promise<DistributionState> {
    return distributionByForce(ctx).load(s.agencyId);
  }
}
