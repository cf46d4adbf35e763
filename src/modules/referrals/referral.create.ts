import type { EntityManager } from "typeorm";
import type { AuditTrail } from "../../core/audit/audit.js";
import type { Pathway } from "../routes/route.entity.js";

export interface NewReferral {
  pathway: Pathway;
  incidentId: string;
  personId: string;
  fromAgencyId: string;
  toAgencyId: string;
  consentId?: string | null;
  grantId?: string | null;
  forwardedFromId?: string | null;
  dueAt: Date;
  createdAt: Date;
}

/**
 * Creates a referral exactly once (the unique constraint on incident, pathway and receiving agency)
 * with its CREATED event and audit entry, inside the caller's transaction. Returns its id, or null
 * when that referral already exists. Every way a referral is born (routing, forwarding, a review's
 * notification) goes through here.
 */
export async function createReferral(
  m: EntityManager,
  trail: AuditTrail,
  r: NewReferral,
  by: { sub: string; agencyId: string | null; note?: string | null },
  detail: Record<string, unknown>,
): Promise<string | null> {
  const [row] = await m.query(
    `INSERT INTO referral (pathway, "incidentId", "personId", "fromAgencyId", "toAgencyId", "consentId", "grantId", "forwardedFromId", "dueAt", "createdAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT ON CONSTRAINT "UQ_referral_once" DO NOTHING RETURNING id`,
    [r.pathway, r.incidentId, r.personId, r.fromAgencyId, r.toAgencyId, r.consentId ?? null, r.grantId ?? null, r.forwardedFromId ?? null, r.dueAt, r.createdAt],
  );
  if (!row) return null;
  await m.query(
    `INSERT INTO referral_event ("referralId", type, "fromStatus", "toStatus", "actorSub", "agencyId", at, note) VALUES ($1, 'CREATED', NULL, 'OPEN', $2, $3, $4, $5)`,
    [row.id, by.sub, by.agencyId, r.createdAt, by.note ?? null],
  );
  trail.add({
    action: "REFERRAL_CREATED",
    entityType: "Referral",
    entityId: row.id,
    personId: r.personId,
    basis: r.consentId ? "CONSENT" : r.grantId ? "EMERGENCY_GRANT" : null,
    detail,
  });
  return row.id;
}
