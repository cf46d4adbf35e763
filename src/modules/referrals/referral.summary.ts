import { In, type EntityManager } from "typeorm";
import { Agency } from "../agencies/agency.entity.js";
import { Referral } from "./referral.entity.js";
import { isOverdue } from "./referral.state.js";
import type { ConsentRouting, IncidentReferral } from "./referral.types.js";

/** A referral as an incident's reader may see it: pathway, receiving agency, status, dates; no person. */
export function summarise(r: Referral, toAgency: Agency, now: Date): IncidentReferral {
  return { pathway: r.pathway, status: r.status, toAgency, createdAt: r.createdAt, dueAt: r.dueAt, overdue: isOverdue(r.status, r.dueAt, now), closedAt: r.closedAt ?? null };
}

/**
 * What recording a consent routed, for its answer: the referrals it created, or why there were none.
 * `recentIncidentIds` are the incidents the consent could route (the person's last 30 days).
 */
export async function consentRouting(m: EntityManager, referralIds: readonly string[], recentIncidentIds: readonly string[], refused: boolean, now: Date): Promise<ConsentRouting> {
  const rows = referralIds.length ? await m.getRepository(Referral).find({ where: { id: In([...referralIds]) }, order: { createdAt: "ASC", id: "ASC" } }) : [];
  const agencies = rows.length ? await m.getRepository(Agency).findBy({ id: In(rows.map((r) => r.toAgencyId)) }) : [];
  const referrals = rows.map((r) => summarise(r, agencies.find((a) => a.id === r.toAgencyId)!, now));
  if (referrals.length > 0) {
    return { referrals, noRouteMatched: false, explanation: `Created ${referrals.length === 1 ? "a referral" : `${referrals.length} referrals`}: ${referrals.map((r) => `${r.pathway} to ${r.toAgency.code}`).join(", ")}` };
  }
  let explanation: string;
  if (refused) explanation = "A refusal routes nothing";
  else if (recentIncidentIds.length === 0) explanation = "The person has no incident in the last 30 days for a consent to route";
  else {
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM referral WHERE "incidentId" = ANY($1::uuid[])`, [recentIncidentIds]);
    explanation = n > 0
      ? "No new referral: the routes this consent covers have already referred the person's recent incidents, or no route covers it"
      : "No route in the areas of the person's recent incidents covers these purposes and recipients";
  }
  return { referrals, noRouteMatched: true, explanation };
}
