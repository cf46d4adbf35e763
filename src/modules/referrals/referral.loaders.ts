import DataLoader from "dataloader";
import type { Context } from "../../core/context.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import { loadPlain, plainMany } from "../../core/plain-rows.js";
import { Incident } from "../incidents/incident.entity.js";
import { Referral, ReferralEvent } from "./referral.entity.js";

export const eventsByReferral = (ctx: Context) =>
  ctx.loaders.get(
    "eventsByReferral",
    () =>
      new DataLoader<string, ReferralEvent[]>(async (ids) => {
        const rows = await loadPlain(ctx.dataSource, ReferralEvent, `t."referralId" = ANY($1::uuid[])`, [[...ids]], { orderBy: `t.at, t.id` });
        const byReferral = new Map<string, ReferralEvent[]>();
        for (const e of rows) {
          const list = byReferral.get(e.referralId);
          if (list) list.push(e);
          else byReferral.set(e.referralId, [e]);
        }
        return ids.map((id) => byReferral.get(id) ?? []);
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
        // Hydrated without the query builder's transformer (src/core/plain-rows.ts); the reach scope applies unchanged.
        const rows = await plainMany(scoped(qb, reach.incident, viewerOf(ctx.actor), "i"));
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
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
