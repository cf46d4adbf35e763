import DataLoader from "dataloader";
import { In } from "typeorm";
import type { Context } from "../../core/context.js";
import { Agency } from "./agency.entity.js";

/** Per-request batch loader: one query for all agencies a response mentions. */
export const agencyById = (ctx: Context) =>
  ctx.loaders.get(
    "agencyById",
    () =>
      new DataLoader<string, Agency | null>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(Agency).findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
