// Retention rules, pure. What counts as a person's last activity, and when their identifying data
// falls due, is decided here; the service only turns it into SQL and transactions.

/** The person's identifying columns retention erases (the id, records and audit log remain). */
export const PERSON_IDENTIFYING_COLUMNS = ["givenName", "familyName", "dateOfBirth", "ageYears", "gender", "identityKey"] as const;

/** An incident's precise location: coordinates and the finest H3 cells (about 0.7 and 0.1 km²). */
export const LOCATION_COLUMNS = ["lat", "lng", "h3r8", "h3r9"] as const;

/**
 * Free text that may identify the person, by record kind: erased after RETENTION_FREE_TEXT_DAYS
 * from the record's own time (and with the person's identity, whichever comes first). Each entry:
 * the table, its columns, the time it counts from, and work in flight that holds it.
 */
export const FREE_TEXT = [
  { kind: "HANDOVER_TEXT", table: "handover", entityType: "Handover", columns: ["patientCondition", "circumstances"], at: `"handedOverAt"`,
    heldBy: `EXISTS (SELECT 1 FROM referral r WHERE r."incidentId" = t."incidentId" AND r.status::text = ANY($2::text[]))`,
    personOf: `(SELECT i."personId" FROM incident i WHERE i.id = t."incidentId")` },
  { kind: "REFERRAL_NOTE", table: "referral_event", entityType: "ReferralEvent", columns: ["note"], at: "at",
    heldBy: `EXISTS (SELECT 1 FROM referral r WHERE r.id = t."referralId" AND r.status::text = ANY($2::text[]))`,
    personOf: `(SELECT r."personId" FROM referral r WHERE r.id = t."referralId")` },
  { kind: "CONSENT_WITHDRAWAL_REASON", table: "consent", entityType: "Consent", columns: ["withdrawalReason"], at: `"withdrawnAt"`,
    // Nothing holds a withdrawal reason; $2 is still typed so the statement shape stays the same.
    heldBy: "cardinality($2::text[]) < 0", personOf: `t."personId"` },
] as const;

export const DAY_MS = 86_400_000;

/** The moment before which activity is past its period. */
export function cutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** When a record whose last activity was `last` falls due. */
export function dueAt(last: Date, days: number): Date {
  return new Date(last.getTime() + days * DAY_MS);
}
