import DataLoader from "dataloader";
import { In } from "typeorm";
import type { Context } from "../../core/context.js";
import { Incident } from "../incidents/incident.entity.js";
import { ReferralEvent } from "./referral.entity.js";

export const eventsByReferral = (ctx: Context) =>
  ctx.loaders.get(
    "eventsByReferral",
    () =>
      new DataLoader<string, ReferralEvent[]>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(ReferralEvent).find({ where: { referralId: In([...ids]) }, order: { at: "ASC", id: "ASC" } });
        return ids.map((id) => rows.filter((e) => e.referralId === id));
      }),
  );

/** Incidents reached through a referral or review the caller already holds (no visibility re-check needed). */
export const incidentById = (ctx: Context) =>
  ctx.loaders.get(
    "incidentById",
    () =>
      new DataLoader<string, Incident | null>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(Incident).findBy({ id: In([...ids]) });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
  );
