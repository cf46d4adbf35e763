import { createHmac } from "node:crypto";

/** Case, accents, spaces, hyphens and apostrophes do not make a different name. */
export function normaliseName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}]/gu, "");
}

/**
 * The identity key links one person's records within and across agencies without comparing names
 * in clear: HMAC-SHA256 over normalised given name, family name and date of birth. Without all
 * three there is no key, and the person is never merged with anyone.
 */
export function identityKey(secret: string, p: { givenName?: string | null; familyName?: string | null; dateOfBirth?: string | null }): string | null {
  const given = p.givenName ? normaliseName(p.givenName) : "";
  const family = p.familyName ? normaliseName(p.familyName) : "";
  if (!given || !family || !p.dateOfBirth) return null;
  return createHmac("sha256", secret).update(`${given}\u001f${family}\u001f${p.dateOfBirth}`).digest("hex");
}
