import DataLoader from "dataloader";
import type { Context } from "../../core/context.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import { Handover } from "./handover.entity.js";

/**
 * Handovers of each incident that the caller may see (reach.handover): all of them for the force that
 * recorded the incident, its own for an ambulance service, none for anyone else.
 */
export const handoversByIncident = (ctx: Context) =>
  ctx.loaders.get(
    "handoversByIncident",
    () =>
      new DataLoader<string, Handover[]>(async (incidentIds) => {
        if (!ctx.actor) return incidentIds.map(() => []);
        const qb = ctx.dataSource.getRepository(Handover).createQueryBuilder("h").where(`h."incidentId" = ANY(:ids)`, { ids: [...incidentIds] });
        const rows = await scoped(qb, reach.handover, viewerOf(ctx.actor), "h").orderBy(`h."handedOverAt"`, "ASC").getMany();
        const byIncident = new Map<string, Handover[]>();
        for (const h of rows) byIncident.set(h.incidentId, [...(byIncident.get(h.incidentId) ?? []), h]);
        return incidentIds.map((id) => byIncident.get(id) ?? []);
      }),
  );
