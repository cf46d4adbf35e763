import DataLoader from "dataloader";
import type { Context } from "../../core/context.js";
import { loadPlain, plainMany } from "../../core/plain-rows.js";
import { Incident } from "../incidents/incident.entity.js";
import { ReferralEvent } from "./referral.entity.js";

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

/** Incidents reached through a referral or review the caller already holds (no visibility re-check needed). */
export const incidentById = (ctx: Context) =>
  ctx.loaders.get(
    "incidentById",
    () =>
      new DataLoader<string, Incident | null>(async (ids) => {
        const rows = await plainMany(ctx.dataSource.getRepository(Incident).createQueryBuilder("i").where("i.id IN (:...ids)", { ids: [...ids] }));
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
