import { consentCovering, type PersonAccessFacts, type RecipientAgency } from "../consent/access.policy.js";
import { EmergencyBasis } from "../consent/grant.entity.js";
import { Purpose } from "../consent/purpose.js";
import { Pathway } from "../routes/route.entity.js";

// What an incident's facts call for, given its area's routes. Pure: the routing service inserts
// whatever this returns with ON CONFLICT DO NOTHING, so evaluating it again changes nothing.

export interface RouteFact {
  pathway: Pathway;
  slaHours: number;
  target: RecipientAgency;
}

export interface IncidentRoutingFacts {
  occurredAt: Date;
  recordingAgencyId: string;
  /** Ambulance services that recorded a handover of this incident. */
  handoverAgencyIds: readonly string[];
  /** Active emergency grants about the person, with their lawful basis. */
  activeGrants: ReadonlyArray<{ id: string; basis: EmergencyBasis }>;
}

export interface ReferralToCreate {
  pathway: Pathway;
  toAgencyId: string;
  slaHours: number;
  consentId: string | null;
  grantId: string | null;
}

export interface ReviewToCreate {
  agencyId: string;
  dueAt: Date;
}

export interface RoutingDecision {
  referrals: ReferralToCreate[];
  review: ReviewToCreate | null;
}


export function routeIncident(routes: readonly RouteFact[], incident: IncidentRoutingFacts, person: PersonAccessFacts, now: Date): RoutingDecision {
  const out: RoutingDecision = { referrals: [], review: null };
  for (const route of routes) {
    const refer = (consentId: string | null, grantId: string | null) =>
      out.referrals.push({ pathway: route.pathway, toAgencyId: route.target.id, slaHours: route.slaHours, consentId, grantId });
    switch (route.pathway) {
      case Pathway.SEVENTY_TWO_HOUR_REVIEW:
        // Every incident in the area is reviewed; the clock starts when it occurred.
        out.review = { agencyId: route.target.id, dueAt: new Date(incident.occurredAt.getTime() + route.slaHours * 3600_000) };
        break;
      case Pathway.NFO_COORDINATOR: {
        // Blackpool: police naloxone + consent to treatment referral covering the ambulance service + handover.
        // A paramedic may take that consent for its own service's co-ordinator: the service took the
        // handover (direct care), so routing inside it discloses nothing and its own record counts.
        const ownRecordCounts = incident.handoverAgencyIds.includes(route.target.id);
        const consent = consentCovering(route.target, person, Purpose.TREATMENT_REFERRAL, now, { ownRecordCounts });
        if (consent && incident.handoverAgencyIds.length > 0) refer(consent, null);
        break;
      }
      case Pathway.MASH_SAFEGUARDING: {
        // Durham: consent to safeguarding covering the MASH, or a lawful basis recorded by break-glass.
        const consent = consentCovering(route.target, person, Purpose.SAFEGUARDING, now);
        const grant = incident.activeGrants.find((g) => g.basis === EmergencyBasis.SAFEGUARDING);
        if (consent) refer(consent, null);
        else if (grant) refer(null, grant.id);
        break;
      }
      case Pathway.DIRECT_TREATMENT: {
        const consent = consentCovering(route.target, person, Purpose.TREATMENT_REFERRAL, now);
        if (consent) refer(consent, null);
        break;
      }
    }
  }
  return out;
}
