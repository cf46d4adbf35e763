import type { EntityManager } from "typeorm";
import type { AuditTrail } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { Topic } from "../../core/pubsub.js";
import { NO_FACTS } from "../consent/access.policy.js";
import { loadAccessFacts } from "../consent/access.service.js";
import type { EmergencyBasis } from "../consent/grant.entity.js";
import { createReferral } from "./referral.create.js";
import { dueAfter } from "./referral.state.js";
import { routeIncident, type RouteFact } from "./routing.policy.js";

export interface Routed {
  referrals: Array<{ id: string; toAgencyId: string }>;
  reviews: Array<{ id: string; agencyId: string }>;
}

/** A consent or grant reaches back to incidents that happened up to this long before it. */
export const ROUTING_LOOKBACK_DAYS = 30;

/**
 * Brings the referrals and reviews of the given incidents up to date with what their facts call
 * for, inside the caller's transaction. The incident rows are locked first (in id order): when a
 * consent and a handover arrive at once, the second transaction waits, then sees the first's
 * committed row; the unique constraints make creation exactly-once whatever the order.
 */
export async function routeIncidents(m: EntityManager, deps: ServiceDeps, trail: AuditTrail, incidentIds: readonly string[]): Promise<Routed> {
  const routed: Routed = { referrals: [], reviews: [] };
  if (incidentIds.length === 0) return routed;
  const now = deps.clock.now();
  const incidents: Array<{ id: string; personId: string; agencyId: string; areaCode: string; occurredAt: Date }> = await m.query(
    `SELECT id, "personId", "agencyId", "areaCode", "occurredAt" FROM incident WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [incidentIds],
  );
  const areas = [...new Set(incidents.map((i) => i.areaCode))];
  const routeRows: Array<RouteFact["target"] & { areaCode: string; pathway: RouteFact["pathway"]; slaHours: number }> = await m.query(
    `SELECT r."areaCode", r.pathway, r."slaHours", a.id, a.code, a.kind, a."areaCodes"
       FROM route r JOIN agency a ON a.id = r."targetAgencyId" WHERE r."areaCode" = ANY($1::text[]) AND a.active`,
    [areas],
  );
  const handovers: Array<{ incidentId: string; agencies: string[] }> = await m.query(
    `SELECT "incidentId", array_agg(DISTINCT "agencyId") AS agencies FROM handover WHERE "incidentId" = ANY($1::uuid[]) GROUP BY "incidentId"`,
    [incidentIds],
  );
  const facts = await loadAccessFacts(m, incidents.map((i) => i.personId));

  for (const incident of incidents) {
    const person = facts.get(incident.personId) ?? NO_FACTS;
    const decision = routeIncident(
      routeRows.filter((r) => r.areaCode === incident.areaCode).map((r) => ({ pathway: r.pathway, slaHours: r.slaHours, target: { id: r.id, code: r.code, kind: r.kind, areaCodes: r.areaCodes } })),
      {
        occurredAt: incident.occurredAt,
        recordingAgencyId: incident.agencyId,
        handoverAgencyIds: handovers.find((h) => h.incidentId === incident.id)?.agencies ?? [],
        activeGrants: person.grants.filter((g) => g.expiresAt.getTime() > now.getTime()).map((g) => ({ id: g.id, basis: g.basis as EmergencyBasis })),
      },
      person,
      now,
    );
    for (const r of decision.referrals) {
      const id = await createReferral(
        m,
        trail,
        { pathway: r.pathway, incidentId: incident.id, personId: incident.personId, fromAgencyId: incident.agencyId, toAgencyId: r.toAgencyId, consentId: r.consentId, grantId: r.grantId, dueAt: dueAfter(now, r.slaHours), createdAt: now },
        { sub: "system", agencyId: null },
        { pathway: r.pathway, incidentId: incident.id, consentId: r.consentId, grantId: r.grantId },
      );
      if (id) routed.referrals.push({ id, toAgencyId: r.toAgencyId });
    }
    if (decision.review) {
      const [row] = await m.query(
        `INSERT INTO review ("incidentId", "personId", "agencyId", "dueAt", "createdAt") VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ("incidentId") DO NOTHING RETURNING id`,
        [incident.id, incident.personId, decision.review.agencyId, decision.review.dueAt, now],
      );
      if (row) {
        routed.reviews.push({ id: row.id, agencyId: decision.review.agencyId });
        trail.add({ action: "REVIEW_OPENED", entityType: "Review", entityId: row.id, personId: incident.personId, detail: { incidentId: incident.id } });
      }
    }
  }
  return routed;
}

/** Incidents of a person recent enough for a new consent or grant to route. */
export async function recentIncidentsOf(m: EntityManager, personId: string, at: Date): Promise<string[]> {
  const rows: Array<{ id: string }> = await m.query(
    `SELECT id FROM incident WHERE "personId" = $1 AND "occurredAt" >= $2::timestamptz - make_interval(days => $3)`,
    [personId, at, ROUTING_LOOKBACK_DAYS],
  );
  return rows.map((r) => r.id);
}

/** After the transaction commits: tell receiving agencies' subscribers. */
export function announce(deps: ServiceDeps, routed: Routed): void {
  for (const r of routed.referrals) deps.pubsub.publish(Topic.REFERRAL_RECEIVED, { referralId: r.id, toAgencyId: r.toAgencyId });
}
