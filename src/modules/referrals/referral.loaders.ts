import DataLoader from "dataloader";
import { In } from "typeorm";
import type { Context } from "../../core/context.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import { Incident } from "../incidents/incident.entity.js";
import { Referral, ReferralEvent } from "./referral.entity.js";

export const eventsByReferral = (ctx: Context) =>
  ctx.loaders.get(
    "eventsByReferral",
    () =>
      new DataLoader<string, ReferralEvent[]>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(ReferralEvent).find({ where: { referralId: In([...ids]) }, order: { at: "ASC", id: "ASC" } });
        return ids.map((id) => rows.filter((e) => e.referralId === id));
      }),
  );

/**
 * Incidents reached through a referral or review the caller holds. Holding one reaches its incident
 * (reach.incident), and the loader asks the reach policy all the same rather than trust convention.
 */
export const incidentById = (ctx: Context) =>
  ctx.loaders.get(
    "incidentById",
    () =>
      new DataLoader<string, Incident | null>(async (ids) => {
        if (!ctx.actor) return ids.map(() => null);
        const qb = ctx.dataSource.getRepository(Incident).createQueryBuilder("i").where("i.id IN (:...ids)", { ids: [...ids] });
        const rows = await scoped(qb, reach.incident, viewerOf(ctx.actor), "i").getMany();
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
  );

/**
 * Referrals of each incident that the caller may see: every one for the force that recorded the
 * incident; otherwise only those the caller's agency sent or received.
 */
export const referralsByIncident = (ctx: Context) =>
  ctx.loaders.get(
    "referralsByIncident",
    () =>
      new DataLoader<string, Referral[]>(async (incidentIds) => {
        const viewer = ctx.actor?.agency.id ?? "00000000-0000-0000-0000-000000000000";
        const rows = await ctx.dataSource
          .getRepository(Referral)
          .createQueryBuilder("r")
          .innerJoin("incident", "i", `i.id = r."incidentId"`)
          .where(`r."incidentId" = ANY(:ids)`, { ids: [...incidentIds] })
          .andWhere(`(i."agencyId" = :viewer OR r."toAgencyId" = :viewer OR r."fromAgencyId" = :viewer)`, { viewer })
          .orderBy(`r."createdAt"`, "ASC")
          .addOrderBy("r.id", "ASC")
          .getMany();
        return incidentIds.map((id) => rows.filter((r) => r.incidentId === id));
      }),
  );
