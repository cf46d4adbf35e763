import DataLoader from "dataloader";
import type { Context } from "../../core/context.js";
import { decideAccess, NO_FACTS, type AccessDecision, type PersonAccessFacts } from "./access.policy.js";
import { purposesOf } from "./purpose.js";

/** Per-request batch of the facts the access policy needs, one query for all people in a response. */
export const personAccessFacts = (ctx: Context) =>
  ctx.loaders.get(
    "personAccessFacts",
    () =>
      new DataLoader<string, PersonAccessFacts>(async (ids) => {
        const rows: Array<{ personId: string; rec: string[]; ho: string[] | null }> = await ctx.dataSource.query(
          `SELECT i."personId", array_agg(DISTINCT i."agencyId") AS rec,
                  array_agg(DISTINCT h."agencyId") FILTER (WHERE h.id IS NOT NULL) AS ho
             FROM incident i LEFT JOIN handover h ON h."incidentId" = i.id
            WHERE i."personId" = ANY($1::uuid[]) GROUP BY i."personId"`,
          [ids],
        );
        const byId = new Map(rows.map((r) => [r.personId, { recordingAgencyIds: r.rec, handoverAgencyIds: r.ho ?? [] }]));
        return ids.map((id) => byId.get(id) ?? NO_FACTS);
      }),
  );

export async function accessDecision(ctx: Context, personId: string): Promise<AccessDecision> {
  const actor = ctx.actor;
  if (!actor) return { permit: false, reason: "UNAUTHENTICATED" };
  const facts = await personAccessFacts(ctx).load(personId);
  return decideAccess(
    { agencyId: actor.agency.id, agencyCode: actor.agency.code, agencyKind: actor.agency.kind, purposes: purposesOf(actor.roles) },
    facts,
    ctx.clock.now(),
  );
}
