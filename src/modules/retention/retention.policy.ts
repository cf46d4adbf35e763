// Retention rules, pure. What counts as a person's last activity, and when their identifying data
// falls due, is decided here; the service only turns it into SQL and transactions.

/** The person's identifying columns retention erases (the id, records and audit log remain). */
export const PERSON_IDENTIFYING_COLUMNS = ["givenName", "familyName", "dateOfBirth", "ageYears", "gender", "identityKey"] as const;

/** An incident's precise location: coordinates and the finest H3 cells (about 0.7 and 0.1 km²). */
export const LOCATION_COLUMNS = ["lat", "lng", "h3r8", "h3r9"] as const;

/** Free text recorded about the person's episode that may identify them, erased with the identity. */
export const FREE_TEXT = ["handover.patientCondition", "handover.circumstances", "referral_event.note", "consent.withdrawalReason"] as const;

export const DAY_MS = 86_400_000;

/** The moment before which activity is past its period. */
export function cutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** When a record whose last activity was `last` falls due. */
export function dueAt(last: Date, days: number): Date {
  return new Date(last.getTime() + days * DAY_MS);
}
