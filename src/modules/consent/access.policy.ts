import type { AgencyKind } from "../../core/auth/roles.js";
import type { Purpose } from "./purpose.js";

// The one decision point for identifying data. Pure: (actor, person facts, purposes, now) → decision.
// Shield rules for identifying fields and services that scope lists both call it.

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
  /** Purposes the actor's roles act under (see purpose.ts). */
  purposes: readonly Purpose[];
}

/** What the database knows about one person that bears on access. */
export interface PersonAccessFacts {
  /** Agencies that recorded an incident about the person. */
  recordingAgencyIds: readonly string[];
  /** Ambulance services that took a handover of one of the person's incidents. */
  handoverAgencyIds: readonly string[];
}

export type AccessDecision =
  | { permit: true; basis: AccessBasis; purpose: Purpose | null; reference: string | null; until: Date | null }
  | { permit: false; reason: string };

export const NO_FACTS: PersonAccessFacts = { recordingAgencyIds: [], handoverAgencyIds: [] };

export function decideAccess(actor: AccessActor, facts: PersonAccessFacts, _now: Date): AccessDecision {
  if (facts.recordingAgencyIds.includes(actor.agencyId)) {
    return { permit: true, basis: AccessBasis.RECORDING_AGENCY, purpose: null, reference: null, until: null };
  }
  if (facts.handoverAgencyIds.includes(actor.agencyId)) {
    return { permit: true, basis: AccessBasis.DIRECT_CARE, purpose: null, reference: null, until: null };
  }
  return { permit: false, reason: "NO_BASIS" };
}
