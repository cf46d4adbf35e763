import { AgencyKind } from "../../src/core/auth/roles";
import { AccessBasis, consentStatus, decideAccess, decideThnAccess, hasStanding, type AccessActor, type ConsentFact, type PersonAccessFacts } from "../../src/modules/consent/access.policy";
import { ConsentDecision, ConsentStatus } from "../../src/modules/consent/consent.entity";
import { Purpose } from "../../src/modules/consent/purpose";

const now = new Date("2026-06-01T12:00:00Z");
const h = (hours: number) => new Date(now.getTime() + hours * 3600_000);
const tsDurham: AccessActor = { agencyId: "ts", agencyCode: "TS-DURHAM", agencyKind: AgencyKind.TREATMENT_SERVICE, agencyAreaCodes: ["DUR-DURHAM"], purposes: [Purpose.TREATMENT_REFERRAL] };
const facts = (f: Partial<PersonAccessFacts> = {}): PersonAccessFacts => ({ recordingAgencyIds: ["dur"], handoverAgencyIds: [], areaCodes: ["DUR-DURHAM"], consents: [], grants: [], ...f });
const consent = (c: Partial<ConsentFact> = {}): ConsentFact => ({
  id: "c1",
  decision: ConsentDecision.GIVEN,
  purposes: [Purpose.TREATMENT_REFERRAL],
  recipientKinds: [AgencyKind.TREATMENT_SERVICE],
  recipientAgencyCodes: [],
  obtainedAt: h(-1),
  expiresAt: null,
  withdrawnAt: null,
  recordedByAgencyId: "hrt-recorder",
  ...c,
});

describe("decideAccess", () => {
  it("permits the recording agency and the handover ambulance service", () => {
    expect(decideAccess({ ...tsDurham, agencyId: "dur" }, facts(), now)).toMatchObject({ permit: true, basis: AccessBasis.RECORDING_AGENCY });
    expect(decideAccess({ ...tsDurham, agencyId: "neas" }, facts({ handoverAgencyIds: ["neas"] }), now)).toMatchObject({ permit: true, basis: AccessBasis.DIRECT_CARE });
  });

  it("permits under an active consent for the actor's purpose, naming its kind in the person's area", () => {
    expect(decideAccess(tsDurham, facts({ consents: [consent({ expiresAt: h(5) })] }), now)).toEqual({
      permit: true, basis: AccessBasis.CONSENT, purpose: Purpose.TREATMENT_REFERRAL, reference: "c1", until: h(5),
    });
  });

  it("denies a kind-named consent to an agency of that kind elsewhere in the country", () => {
    expect(decideAccess({ ...tsDurham, agencyAreaCodes: ["ASC-BRISTOL"] }, facts({ consents: [consent()] }), now).permit).toBe(false);
  });

  it("denies for another purpose, another agency, expiry, withdrawal and refusal", () => {
    expect(decideAccess(tsDurham, facts({ consents: [consent({ purposes: [Purpose.SAFEGUARDING] })] }), now)).toEqual({ permit: false, reason: "NO_BASIS" });
    expect(decideAccess(tsDurham, facts({ consents: [consent({ recipientKinds: [], recipientAgencyCodes: ["TS-BRISTOL"] })] }), now).permit).toBe(false);
    expect(decideAccess(tsDurham, facts({ consents: [consent({ expiresAt: h(-0.5) })] }), now)).toEqual({ permit: false, reason: "CONSENT_EXPIRED" });
    expect(decideAccess(tsDurham, facts({ consents: [consent({ withdrawnAt: h(-0.1) })] }), now)).toEqual({ permit: false, reason: "CONSENT_WITHDRAWN" });
    expect(decideAccess(tsDurham, facts({ consents: [consent({ decision: ConsentDecision.REFUSED })] }), now)).toEqual({ permit: false, reason: "CONSENT_REFUSED" });
  });

  it("lets the latest decision win: a later refusal overrides, a later consent restores", () => {
    const given = consent({ id: "given", obtainedAt: h(-3) });
    const refused = consent({ id: "refused", decision: ConsentDecision.REFUSED, recipientKinds: [], obtainedAt: h(-2) });
    expect(decideAccess(tsDurham, facts({ consents: [given, refused] }), now).permit).toBe(false);
    const again = consent({ id: "again", obtainedAt: h(-1) });
    expect(decideAccess(tsDurham, facts({ consents: [given, refused, again] }), now)).toMatchObject({ permit: true, reference: "again" });
  });

  it("never takes a consent an agency recorded itself as its own basis, though its own refusal still counts", () => {
    const self = consent({ id: "own", recipientKinds: [], recipientAgencyCodes: ["TS-DURHAM"], recordedByAgencyId: "ts" });
    expect(decideAccess(tsDurham, facts({ consents: [self] }), now)).toEqual({ permit: false, reason: "NO_BASIS" });
    // An earlier consent recorded by someone else still stands beneath it.
    const earlier = consent({ id: "other", obtainedAt: h(-2) });
    expect(decideAccess(tsDurham, facts({ consents: [self, earlier] }), now)).toMatchObject({ permit: true, reference: "other" });
    // Its own later refusal overrides.
    const refusal = consent({ id: "no", decision: ConsentDecision.REFUSED, obtainedAt: h(-0.5), recordedByAgencyId: "ts" });
    expect(decideAccess(tsDurham, facts({ consents: [earlier, refusal] }), now)).toEqual({ permit: false, reason: "CONSENT_REFUSED" });
  });

  it("ignores consents for roles that act under no purpose", () => {
    expect(decideAccess({ ...tsDurham, purposes: [] }, facts({ consents: [consent()] }), now).permit).toBe(false);
  });

  it("permits under an unexpired emergency grant for the actor's agency only", () => {
    const grants = [{ id: "g1", agencyId: "ts", grantedAt: h(-1), expiresAt: h(3) }];
    expect(decideAccess(tsDurham, facts({ grants }), now)).toMatchObject({ permit: true, basis: AccessBasis.EMERGENCY_GRANT, reference: "g1", until: h(3) });
    expect(decideAccess(tsDurham, facts({ grants: [{ ...grants[0], expiresAt: h(-0.01) }] }), now).permit).toBe(false);
    expect(decideAccess({ ...tsDurham, agencyId: "other" }, facts({ grants }), now).permit).toBe(false);
  });
});

describe("consentStatus and standing", () => {
  it("derives status at read time", () => {
    expect(consentStatus(consent(), now)).toBe(ConsentStatus.ACTIVE);
    expect(consentStatus(consent({ expiresAt: now }), now)).toBe(ConsentStatus.EXPIRED);
    expect(consentStatus(consent({ withdrawnAt: now, expiresAt: h(-1) }), now)).toBe(ConsentStatus.WITHDRAWN);
    expect(consentStatus(consent({ decision: ConsentDecision.REFUSED }), now)).toBe(ConsentStatus.REFUSED);
  });

  it("gives standing to agencies named by any consent or grant, and to nobody else", () => {
    expect(hasStanding(tsDurham, facts({ consents: [consent({ withdrawnAt: h(-1) })] }), now)).toBe(true);
    expect(hasStanding(tsDurham, facts(), now)).toBe(false);
    expect(hasStanding({ ...tsDurham, agencyId: "x", agencyCode: "X", agencyKind: AgencyKind.PROBATION }, facts({ consents: [consent()] }), now)).toBe(false);
  });
});

describe("take-home naloxone status is sensitive by default", () => {
  const police: AccessActor = { agencyId: "dur", agencyCode: "DUR", agencyKind: AgencyKind.POLICE_FORCE, agencyAreaCodes: ["DUR-DURHAM"], purposes: [] };
  const probation: AccessActor = { agencyId: "prob", agencyCode: "PROB-NE", agencyKind: AgencyKind.PROBATION, agencyAreaCodes: ["DUR-DURHAM"], purposes: [] };

  it("is never shown to the recording police force or probation without a consent naming them", () => {
    expect(decideAccess(police, facts(), now).permit).toBe(true);
    expect(decideThnAccess(police, facts(), now)).toEqual({ permit: false, reason: "NO_BASIS" });
    expect(decideThnAccess(probation, facts({ grants: [{ id: "g", agencyId: "prob", grantedAt: h(-1), expiresAt: h(1) }] }), now).permit).toBe(false);
    expect(decideThnAccess(police, facts({ consents: [consent({ recipientKinds: [AgencyKind.TREATMENT_SERVICE] })] }), now).permit).toBe(false);
  });

  it("is shown to them under an active consent that names them, and not once it is withdrawn", () => {
    expect(decideThnAccess(police, facts({ consents: [consent({ id: "p1", recipientKinds: [], recipientAgencyCodes: ["DUR"] })] }), now)).toMatchObject({ permit: true, reference: "p1" });
    expect(decideThnAccess(probation, facts({ consents: [consent({ recipientKinds: [AgencyKind.PROBATION] })] }), now).permit).toBe(true);
    expect(decideThnAccess(police, facts({ consents: [consent({ recipientKinds: [], recipientAgencyCodes: ["DUR"], withdrawnAt: h(-0.5) })] }), now).permit).toBe(false);
  });

  it("never counts a consent the force or probation recorded itself (no self-granted basis)", () => {
    const selfNamed = consent({ id: "self", recipientKinds: [], recipientAgencyCodes: ["DUR"], recordedByAgencyId: "dur" });
    expect(decideThnAccess(police, facts({ consents: [selfNamed] }), now)).toEqual({ permit: false, reason: "NO_BASIS" });
    const byProbation = consent({ recipientKinds: [AgencyKind.PROBATION], recordedByAgencyId: "prob" });
    expect(decideThnAccess(probation, facts({ consents: [byProbation] }), now).permit).toBe(false);
    // Recorded by someone else (a treatment service), it does.
    expect(decideThnAccess(police, facts({ consents: [{ ...selfNamed, recordedByAgencyId: "ts" }] }), now)).toMatchObject({ permit: true, reference: "self" });
  });

  it("follows the ordinary decision for other agencies", () => {
    expect(decideThnAccess({ ...tsDurham, agencyId: "neas", agencyKind: AgencyKind.AMBULANCE_SERVICE }, facts({ handoverAgencyIds: ["neas"] }), now).permit).toBe(true);
    expect(decideThnAccess(tsDurham, facts(), now).permit).toBe(false);
  });
});
