import DataLoader from "dataloader";
import { In } from "typeorm";
import type { Context } from "../../core/context.js";
import { Person } from "./person.entity.js";

export const personById = (ctx: Context) =>
  ctx.loaders.get(
    "personById",
    () =>
      new DataLoader<string, Person | null>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(Person).findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
