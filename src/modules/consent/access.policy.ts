import { AgencyKind } from "../../core/auth/roles.js";
import { ConsentDecision, ConsentStatus } from "./consent.entity.js";
import type { Purpose } from "./purpose.js";

// The one decision point for identifying data. Pure: (actor, person facts, now) → decision.
// Shield rules for identifying fields and services that scope what an agency reaches all call it;
// nothing else decides access to a person. Unit-tested without a database.

export enum AccessBasis {
  RECORDING_AGENCY = "RECORDING_AGENCY",
  DIRECT_CARE = "DIRECT_CARE",
  CONSENT = "CONSENT",
  EMERGENCY_GRANT = "EMERGENCY_GRANT",
}

export interface AccessActor {
  agencyId: string;
  agencyCode: string;
  agencyKind: AgencyKind;
  agencyAreaCodes: readonly string[];
  /** Purposes the actor acts under (from their roles: see purpose.ts). */
  purposes: readonly Purpose[];
}

export interface ConsentFact {
  id: string;
  decision: ConsentDecision;
  purposes: readonly Purpose[];
  recipientKinds: readonly AgencyKind[];
  recipientAgencyCodes: readonly string[];
  obtainedAt: Date;
  expiresAt: Date | null;
  withdrawnAt: Date | null;
  /** The agency that recorded it: a consent it recorded is never a basis for that agency itself. */
  recordedByAgencyId: string;
}

/**
 * No self-granted basis: a consent GIVEN and recorded by an agency is never a basis for that same
 * agency (otherwise a force could record a "consent" naming itself and read what the rules keep from
 * police). A refusal it recorded still counts against it.
 */
export function selfGranted(c: Pick<ConsentFact, "decision" | "recordedByAgencyId">, agencyId: string): boolean {
  return c.decision === ConsentDecision.GIVEN && c.recordedByAgencyId === agencyId;
}

export interface GrantFact {
  id: string;
  agencyId: string;
  grantedAt: Date;
  expiresAt: Date;
  /** The lawful basis recorded (VITAL_INTERESTS or SAFEGUARDING). */
  basis?: string;
}

/** What the database knows about one person that bears on access. */
export interface PersonAccessFacts {
  /** Agencies that recorded an incident about the person. */
  recordingAgencyIds: readonly string[];
  /** Ambulance services that took a handover of one of the person's incidents. */
  handoverAgencyIds: readonly string[];
  /** Areas of the person's incidents: recipients named by kind must serve one of them. */
  areaCodes: readonly string[];
  consents: readonly ConsentFact[];
  grants: readonly GrantFact[];
}

export const NO_FACTS: PersonAccessFacts = { recordingAgencyIds: [], handoverAgencyIds: [], areaCodes: [], consents: [], grants: [] };

export type AccessDecision =
  | { permit: true; basis: AccessBasis; purpose: Purpose | null; reference: string | null; until: Date | null }
  | { permit: false; reason: DenyReason };

export type DenyReason = "NO_BASIS" | "CONSENT_REFUSED" | "CONSENT_EXPIRED" | "CONSENT_WITHDRAWN";

/** A consent's status at a moment: derived, never stored, so expiry needs no job. */
export function consentStatus(c: Pick<ConsentFact, "decision" | "expiresAt" | "withdrawnAt">, now: Date): ConsentStatus {
  if (c.decision === ConsentDecision.REFUSED) return ConsentStatus.REFUSED;
  if (c.withdrawnAt && c.withdrawnAt.getTime() <= now.getTime()) return ConsentStatus.WITHDRAWN;
  if (c.expiresAt && c.expiresAt.getTime() <= now.getTime()) return ConsentStatus.EXPIRED;
  return ConsentStatus.ACTIVE;
}

/**
 * Whether a consent record speaks about this recipient. Named agencies always; agencies named by
 * kind only where they serve an area of the person's incidents (consent to "the local treatment
 * service" is not consent to every treatment service in the country). A refusal that names no
 * recipient refuses the purpose to everyone.
 */
export function consentNames(c: ConsentFact, actor: AccessActor, facts: PersonAccessFacts): boolean {
  if (c.recipientAgencyCodes.includes(actor.agencyCode)) return true;
  if (c.recipientKinds.includes(actor.agencyKind) && actor.agencyAreaCodes.some((a) => facts.areaCodes.includes(a))) return true;
  return c.decision === ConsentDecision.REFUSED && c.recipientAgencyCodes.length === 0 && c.recipientKinds.length === 0;
}

/**
 * For one purpose, the latest decision that is not withdrawn and names this recipient wins: a later
 * refusal overrides an earlier consent, and a later consent overrides an earlier refusal.
 */
export function consentFor(actor: AccessActor, facts: PersonAccessFacts, purpose: Purpose, now: Date, ownRecordCounts = false): AccessDecision {
  const relevant = facts.consents
    .filter((c) => c.purposes.includes(purpose) && consentNames(c, actor, facts) && (ownRecordCounts || !selfGranted(c, actor.agencyId)) && c.obtainedAt.getTime() <= now.getTime())
    .sort((a, b) => b.obtainedAt.getTime() - a.obtainedAt.getTime());
  const standing = relevant.filter((c) => consentStatus(c, now) !== ConsentStatus.WITHDRAWN);
  const latest = standing[0];
  if (!latest) return { permit: false, reason: relevant.length > 0 ? "CONSENT_WITHDRAWN" : "NO_BASIS" };
  const status = consentStatus(latest, now);
  if (status === ConsentStatus.ACTIVE) {
    return { permit: true, basis: AccessBasis.CONSENT, purpose, reference: latest.id, until: latest.expiresAt };
  }
  return { permit: false, reason: status === ConsentStatus.REFUSED ? "CONSENT_REFUSED" : "CONSENT_EXPIRED" };
}

export function decideAccess(actor: AccessActor, facts: PersonAccessFacts, now: Date): AccessDecision {
  if (facts.recordingAgencyIds.includes(actor.agencyId)) {
    return { permit: true, basis: AccessBasis.RECORDING_AGENCY, purpose: null, reference: null, until: null };
  }
  if (facts.handoverAgencyIds.includes(actor.agencyId)) {
    return { permit: true, basis: AccessBasis.DIRECT_CARE, purpose: null, reference: null, until: null };
  }
  let denial: AccessDecision = { permit: false, reason: "NO_BASIS" };
  for (const purpose of actor.purposes) {
    const d = consentFor(actor, facts, purpose, now);
    if (d.permit) return d;
    if (denial.permit === false && denial.reason === "NO_BASIS") denial = d;
  }
  const grant = facts.grants
    .filter((g) => g.agencyId === actor.agencyId && g.grantedAt.getTime() <= now.getTime() && g.expiresAt.getTime() > now.getTime())
    .sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime())[0];
  if (grant) return { permit: true, basis: AccessBasis.EMERGENCY_GRANT, purpose: null, reference: grant.id, until: grant.expiresAt };
  return denial;
}

/**
 * Whether the agency has any standing with this person: a basis now, or a consent record or
 * grant that names it (whatever its status). Without standing, the person is NOT_FOUND to it,
 * exactly like an id that does not exist; with standing but no basis, identifying fields are
 * CONSENT_REQUIRED.
 */
export function hasStanding(actor: AccessActor, facts: PersonAccessFacts, now: Date): boolean {
  if (decideAccess(actor, facts, now).permit) return true;
  if (facts.grants.some((g) => g.agencyId === actor.agencyId)) return true;
  return facts.consents.some(
    (c) => c.recipientAgencyCodes.includes(actor.agencyCode) || (c.recipientKinds.includes(actor.agencyKind) && actor.agencyAreaCodes.some((a) => facts.areaCodes.includes(a))),
  );
}

/** Agencies whose reading of take-home-naloxone status people fear as evidence of drug use. */
export const THN_SENSITIVE_KINDS: readonly AgencyKind[] = [AgencyKind.POLICE_FORCE, AgencyKind.PROBATION];

/**
 * Prison take-home naloxone status is sensitive by default: police forces and probation never see
 * it unless an active consent names them (by code, or by kind in the person's areas) that someone
 * else recorded (a treatment or health service holding its own basis), whatever other basis they
 * have; a consent a force records naming itself does not count. Everyone else needs the ordinary
 * decision's permit. The prison that issued the kit reads its own release records directly.
 */
export function decideThnAccess(actor: AccessActor, facts: PersonAccessFacts, now: Date): AccessDecision {
  if (THN_SENSITIVE_KINDS.includes(actor.agencyKind)) {
    const naming = facts.consents
      .filter((c) => c.decision === ConsentDecision.GIVEN && !selfGranted(c, actor.agencyId) && consentStatus(c, now) === ConsentStatus.ACTIVE && c.obtainedAt.getTime() <= now.getTime())
      .filter((c) => c.recipientAgencyCodes.includes(actor.agencyCode) || (c.recipientKinds.includes(actor.agencyKind) && actor.agencyAreaCodes.some((a) => facts.areaCodes.includes(a))))
      .sort((a, b) => b.obtainedAt.getTime() - a.obtainedAt.getTime())[0];
    return naming
      ? { permit: true, basis: AccessBasis.CONSENT, purpose: null, reference: naming.id, until: naming.expiresAt }
      : { permit: false, reason: "NO_BASIS" };
  }
  return decideAccess(actor, facts, now);
}

/** An agency as a possible recipient (from its row), for questions asked on its behalf. */
export interface RecipientAgency {
  id: string;
  code: string;
  kind: AgencyKind;
  areaCodes: readonly string[];
}

/**
 * The consent that covers sharing with this agency for this purpose now, if any: the same rule
 * decideAccess applies, asked on behalf of a recipient (routing, forwarding, review notifications).
 * `ownRecordCounts` is for routing only, where the recipient already holds its own basis (direct
 * care): a referral inside the agency that took the decision discloses nothing new, so a consent it
 * recorded itself may start it. It never opens identifying data: decideAccess does not pass it.
 */
export function consentCovering(agency: RecipientAgency, facts: PersonAccessFacts, purpose: Purpose, now: Date, opts: { ownRecordCounts?: boolean } = {}): string | null {
  const d = consentFor({ agencyId: agency.id, agencyCode: agency.code, agencyKind: agency.kind, agencyAreaCodes: agency.areaCodes, purposes: [purpose] }, facts, purpose, now, opts.ownRecordCounts ?? false);
  return d.permit ? d.reference : null;
}
