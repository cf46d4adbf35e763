import DataLoader from "dataloader";
import type { Context } from "../../core/context.js";
import { loadPlain } from "../../core/plain-rows.js";
import { Person } from "./person.entity.js";

export const personById = (ctx: Context) =>
  ctx.loaders.get(
    "personById",
    () =>
      new DataLoader<string, Person | null>(async (ids) => {
        const rows = await loadPlain(ctx.dataSource, Person, `t.id = ANY($1::uuid[])`, [[...ids]]);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
