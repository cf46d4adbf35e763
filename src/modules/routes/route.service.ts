import type { DataSource } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import { AgencyKind } from "../../core/auth/roles.js";
import { writeAudit } from "../../core/audit/audit.js";
import { badInput, type InputProblem } from "../../core/errors.js";
import { Agency } from "../agencies/agency.entity.js";
import { Pathway, Route } from "./route.entity.js";
import { DEFAULT_SLA_HOURS, TARGET_KIND_BY_PATHWAY } from "./route.policy.js";
import type { ConfigureRouteInput } from "./route.types.js";

export class RouteService {
  constructor(private readonly ds: DataSource) {}

  list(areaCode?: string | null): Promise<Route[]> {
    return this.ds.getRepository(Route).find({
      where: areaCode ? { areaCode } : {},
      order: { areaCode: "ASC", pathway: "ASC" },
    });
  }

  /** Sets the one target of a pathway in an area (creating or replacing it). */
  async configure(actor: Actor | null, input: ConfigureRouteInput): Promise<Route> {
    return this.ds.transaction(async (m) => {
      const target = await m.getRepository(Agency).findOneBy({ code: input.targetAgencyCode });
      const problems: InputProblem[] = [];
      const wantedKind = TARGET_KIND_BY_PATHWAY[input.pathway];
      if (!target || !target.active) {
        problems.push({ field: "targetAgencyCode", rule: "must name an active agency" });
      } else {
        if (target.kind !== wantedKind) {
          problems.push({ field: "targetAgencyCode", rule: `${input.pathway} referrals go to a ${wantedKind}, not a ${target.kind}` });
        }
        if (!target.areaCodes.includes(input.areaCode)) {
          problems.push({ field: "targetAgencyCode", rule: `the target agency does not serve area ${input.areaCode}` });
        }
      }
      const [{ served }] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM agency WHERE kind = $1 AND active AND $2 = ANY("areaCodes")) AS served`,
        [AgencyKind.POLICE_FORCE, input.areaCode],
      );
      if (!served) problems.push({ field: "areaCode", rule: "no active police force serves this area" });
      if (problems.length > 0 || !target) throw badInput(problems);

      const slaHours = input.slaHours ?? DEFAULT_SLA_HOURS;
      const [row] = await m.query(
        `INSERT INTO route ("areaCode", pathway, "targetAgencyId", "slaHours")
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ("areaCode", pathway)
         DO UPDATE SET "targetAgencyId" = EXCLUDED."targetAgencyId", "slaHours" = EXCLUDED."slaHours", "updatedAt" = now()
         RETURNING *`,
        [input.areaCode, input.pathway, target.id, slaHours],
      );
      await writeAudit(m, actor, {
        action: "ROUTE_CONFIGURED",
        entityType: "Route",
        entityId: row.id,
        detail: { areaCode: input.areaCode, pathway: input.pathway, targetAgencyCode: target.code, slaHours },
      });
      return m.getRepository(Route).create(row as Route);
    });
  }
}

/** Hours the receiving agency has on a pathway in an incident's area: the route's, or the default. */
export async function slaHoursFor(db: { query(sql: string, params?: unknown[]): Promise<any> }, incidentId: string, pathway: Pathway): Promise<number> {
  const [{ sla }] = await db.query(
    `SELECT COALESCE((SELECT r."slaHours" FROM route r JOIN incident i ON i."areaCode" = r."areaCode" WHERE i.id = $1 AND r.pathway = $2), $3) AS sla`,
    [incidentId, pathway, DEFAULT_SLA_HOURS],
  );
  return sla;
}
