import type { EntityManager } from "typeorm";
import type { AuditTrail } from "../../core/audit/audit.js";
import { ReferralStatus } from "./referral.entity.js";
import { ACTIVE_STATUSES } from "./referral.state.js";

/** Consent withdrawn: every referral still in play that rested on it moves to WITHDRAWN. */
export async function withdrawReferralsOf(m: EntityManager, trail: AuditTrail, consentId: string, now: Date): Promise<number> {
  const rows: Array<{ id: string; status: ReferralStatus; personId: string }> = await m.query(
    `SELECT id, status, "personId" FROM referral WHERE "consentId" = $1 AND status = ANY($2::referral_status[]) FOR UPDATE`,
    [consentId, ACTIVE_STATUSES],
  );
  for (const r of rows) {
    await m.query(`UPDATE referral SET status = 'WITHDRAWN', "closedAt" = $2, outcome = 'CONSENT_WITHDRAWN' WHERE id = $1`, [r.id, now]);
    await m.query(
      `INSERT INTO referral_event ("referralId", type, "fromStatus", "toStatus", "actorSub", "agencyId", at, note) VALUES ($1, 'WITHDRAWN', $2, 'WITHDRAWN', 'system', NULL, $3, 'Consent withdrawn')`,
      [r.id, r.status, now],
    );
  }
  trail.add(...rows.map((r) => ({ action: "REFERRAL_WITHDRAWN", entityType: "Referral", entityId: r.id, personId: r.personId, detail: { consentId } })));
  return rows.length;
}
