import DataLoader from "dataloader";
import type { Context } from "../../core/context.js";
import { Handover } from "./handover.entity.js";

/**
 * Handovers of each incident that the caller may see: all of them for the force that recorded the
 * incident, and its own for an ambulance service.
 */
export const handoversByIncident = (ctx: Context) =>
  ctx.loaders.get(
    "handoversByIncident",
    () =>
      new DataLoader<string, Handover[]>(async (incidentIds) => {
        const viewer = ctx.actor?.agency.id ?? "00000000-0000-0000-0000-000000000000";
        const rows = await ctx.dataSource
          .getRepository(Handover)
          .createQueryBuilder("h")
          .innerJoin("incident", "i", `i.id = h."incidentId"`)
          .where(`h."incidentId" = ANY(:ids)`, { ids: [...incidentIds] })
          .andWhere(`(h."agencyId" = :viewer OR i."agencyId" = :viewer)`, { viewer })
          .orderBy(`h."handedOverAt"`, "ASC")
          .getMany();
        const byIncident = new Map<string, Handover[]>();
        for (const h of rows) byIncident.set(h.incidentId, [...(byIncident.get(h.incidentId) ?? []), h]);
        return incidentIds.map((id) => byIncident.get(id) ?? []);
      }),
  );
