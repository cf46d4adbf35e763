import type { EntityManager } from "typeorm";
import type { PersonInput } from "../incidents/incident.types.js";
import { identityKey } from "./person.policy.js";

/**
 * Finds or creates the Person a record is about, inside the caller's transaction. With an identity
 * key the upsert is atomic (a unique index, not check-then-insert) and only fills in what was
 * unknown; without one a new Person is always created.
 */
export async function resolvePerson(m: EntityManager, secret: string, agencyId: string, p: PersonInput | null | undefined): Promise<string> {
  const key = p ? identityKey(secret, p) : null;
  const values = [key, p?.givenName?.trim() || null, p?.familyName?.trim() || null, p?.dateOfBirth ?? null, p?.ageYears ?? null, p?.gender ?? null, agencyId];
  if (key) {
    const [row] = await m.query(
      `INSERT INTO person ("identityKey", "givenName", "familyName", "dateOfBirth", "ageYears", gender, "createdByAgencyId")
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("identityKey") WHERE "identityKey" IS NOT NULL
       DO UPDATE SET "ageYears" = COALESCE(EXCLUDED."ageYears", person."ageYears"), gender = COALESCE(person.gender, EXCLUDED.gender)
       RETURNING id`,
      values,
    );
    return row.id;
  }
  const [row] = await m.query(
    `INSERT INTO person ("identityKey", "givenName", "familyName", "dateOfBirth", "ageYears", gender, "createdByAgencyId")
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    values,
  );
  return row.id;
}
