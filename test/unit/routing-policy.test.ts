import { ConsentDecision } from "../../src/modules/consent/consent.entity";
import { consentCovering, decideAccess, NO_FACTS, type ConsentFact, type PersonAccessFacts } from "../../src/modules/consent/access.policy";
import { Purpose } from "../../src/modules/consent/purpose";
import { AgencyKind } from "../../src/core/auth/roles";
import { routeIncident, type RouteFact } from "../../src/modules/referrals/routing.policy";
import { Pathway } from "../../src/modules/routes/route.entity";

// The NFO co-ordinator pathway when the paramedic takes the consent for its own service: routing
// inside the agency that took the handover discloses nothing, so its own consent starts the
// referral; it still never becomes a basis for that agency to see anything.
const now = new Date("2026-11-30T12:00:00Z");
const nwas = { id: "amb-1", code: "NWAS", kind: AgencyKind.AMBULANCE_SERVICE, areaCodes: ["BPL"] };
const force = "force-1";
const route: RouteFact = { pathway: Pathway.NFO_COORDINATOR, slaHours: 48, target: nwas };
const consent = (recordedByAgencyId: string): ConsentFact => ({
  id: `c-${recordedByAgencyId}`,
  decision: ConsentDecision.GIVEN,
  purposes: [Purpose.TREATMENT_REFERRAL],
  recipientKinds: [],
  recipientAgencyCodes: ["NWAS"],
  obtainedAt: new Date("2026-11-30T10:00:00Z"),
  expiresAt: null,
  withdrawnAt: null,
  recordedByAgencyId,
});
const person = (c: ConsentFact, handoverAgencyIds: string[]): PersonAccessFacts => ({
  ...NO_FACTS,
  recordingAgencyIds: [force],
  handoverAgencyIds,
  areaCodes: ["BPL"],
  consents: [c],
});
const incident = (handoverAgencyIds: string[]) => ({ occurredAt: new Date("2026-11-30T09:00:00Z"), recordingAgencyId: force, handoverAgencyIds, activeGrants: [] });

describe("NFO routing on a consent the ambulance service recorded itself", () => {
  it("routes when the service took the handover", () => {
    const out = routeIncident([route], incident([nwas.id]), person(consent(nwas.id), [nwas.id]), now);
    expect(out.referrals).toEqual([expect.objectContaining({ pathway: Pathway.NFO_COORDINATOR, toAgencyId: nwas.id, consentId: "c-amb-1" })]);
  });

  it("does not route when another ambulance service took the handover", () => {
    const out = routeIncident([route], incident(["amb-2"]), person(consent(nwas.id), ["amb-2"]), now);
    expect(out.referrals).toEqual([]);
  });

  it("routes on the force's consent as before", () => {
    const out = routeIncident([route], incident([nwas.id]), person(consent(force), [nwas.id]), now);
    expect(out.referrals).toHaveLength(1);
  });

  it("an own consent is still no basis for the consent policy or for other questions", () => {
    const facts = person(consent(nwas.id), []);
    expect(consentCovering(nwas, facts, Purpose.TREATMENT_REFERRAL, now)).toBeNull();
    const d = decideAccess({ agencyId: nwas.id, agencyCode: nwas.code, agencyKind: nwas.kind, agencyAreaCodes: nwas.areaCodes, purposes: [Purpose.TREATMENT_REFERRAL] }, facts, now);
    expect(d.permit).toBe(false);
  });
});
