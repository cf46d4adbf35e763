import type { DataSource } from "typeorm";
import { writeAudit } from "../../core/audit/audit.js";
import type { Actor } from "../../core/auth/actor.js";
import { badInput } from "../../core/errors.js";
import { AREA_SCOPE_RULE } from "./aggregates.policy.js";
import type { Period } from "./period.policy.js";

/**
 * Writes one AGGREGATE_READ audit row: who, which operation, and the filter as snapped (never a
 * figure). Written before the figures are computed; if it cannot be written the request fails
 * (fail closed), so an auditor sees every query of a partner's pattern.
 */
export async function auditAggregateRead(ds: DataSource, actor: Actor, operation: string, filter: Record<string, unknown>, period: Period | null): Promise<void> {
  const snapped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter)) if (v !== null && v !== undefined && k !== "from" && k !== "to") snapped[k] = v;
  if (period) Object.assign(snapped, { from: period.from.toISOString(), to: period.to.toISOString() });
  await writeAudit(ds.manager, actor, { action: "AGGREGATE_READ", entityType: "Aggregate", detail: { operation, filter: snapped } });
}

/**
 * A figure over several areas together is published only for one area or for exactly the areas one
 * agency serves: a fixed, small set of unions, so no area can be isolated by differencing unions of
 * areas (docs/disclosure.md). Lists of areas each counted on its own (areaCounts) need no check.
 */
export async function checkAreaScope(ds: DataSource, areaCodes: readonly string[] | null | undefined, field = "filter.areaCodes"): Promise<void> {
  const areas = [...new Set(areaCodes ?? [])];
  if (areas.length <= 1) return;
  const [row] = await ds.query(`SELECT EXISTS (SELECT 1 FROM agency WHERE active AND "areaCodes"::text[] @> $1::text[] AND "areaCodes"::text[] <@ $1::text[]) AS ok`, [areas]);
  if (!row.ok) throw badInput([{ field, rule: AREA_SCOPE_RULE }]);
}
