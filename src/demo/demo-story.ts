import type { Actor } from "../core/auth/actor.js";
import { demoActor } from "./demo-actor.js";
import { AgencyKind, Role } from "../core/auth/roles.js";
import { fixedClock } from "../core/clock.js";
import type { ServiceDeps } from "../core/context.js";
import { Agency } from "../modules/agencies/agency.entity.js";
import { ConsentDecision, ConsentMethod } from "../modules/consent/consent.entity.js";
import { ConsentService } from "../modules/consent/consent.service.js";
import { EmergencyBasis, GrantReviewOutcome } from "../modules/consent/grant.entity.js";
import { Purpose } from "../modules/consent/purpose.js";
import { HandoverService } from "../modules/handovers/handover.service.js";
import { Disposition, Gender, Outcome, Substance } from "../modules/incidents/incident.enums.js";
import { IncidentService } from "../modules/incidents/incident.service.js";
import { ReferralService } from "../modules/referrals/referral.service.js";
import { ContactMethod, ContactOutcome, ReferralOutcome } from "../modules/referrals/referral.types.js";
import { ReviewService } from "../modules/reviews/review.service.js";
import { DEMO_AREAS } from "./demo-agencies.js";

/**
 * The demo's story: a few dozen incidents, each with a named synthetic person, played forward in
 * time through the same services as the API (each step runs with the clock set to when it
 * happened), so that every inbox holds referrals at every state, the 72-hour reviews are due in
 * days, tomorrow, today and overdue, and an auditor has a trail to follow (consents given, refused
 * and withdrawn, emergency grants reviewed and waiting). Their idempotency keys start with
 * DEMO_STORY_KEY_PREFIX: they are not part of the evaluation's Table 1 figures.
 */
export const DEMO_STORY_KEY_PREFIX = "demo-story-";

type Step =
  | { h: number; at: string; do: "accept" }
  | { h: number; at: string; do: "decline"; reason: string }
  | { h: number; at: string; do: "contact"; method: ContactMethod; outcome: ContactOutcome; note?: string }
  | { h: number; at: string; do: "close"; outcome: ReferralOutcome }
  | { h: number; at: string; do: "forward"; to: string }
  | { h: number; do: "withdraw"; reason: string }
  | { h: number; do: "screen" }
  | { h: number; do: "completeReview"; notify?: string[]; shareWithTaskforce?: boolean };

export interface StoryCase {
  /** Unique and letters only (it names the synthetic person too). */
  name: string;
  force: string;
  areaCode: string;
  /** When the incident happened, in hours before the seed runs. */
  hoursAgo: number;
  /** An ambulance service's handover, 20 minutes after the incident (its CAD reference is `CAD-STORY-<n>`). */
  handover?: string;
  /** The consent decision, `h` hours after the incident, recorded by the officer's force. */
  consent?: { h: number; decision?: ConsentDecision; purposes: Purpose[]; kinds?: AgencyKind[]; codes?: string[] };
  /** An emergency grant by the MASH, `h` hours after the incident; `reviewed` by an auditor an hour later. */
  grant?: { h: number; reviewed?: boolean };
  /** What the receiving agencies did, each `h` hours after the incident; `at` names whose inbox. */
  steps?: Step[];
}

const { TREATMENT_REFERRAL, HARM_REDUCTION_REVIEW, SAFEGUARDING } = Purpose;
const { AMBULANCE_SERVICE, TREATMENT_SERVICE } = AgencyKind;
const TS_CONSENT = (h: number) => ({ h, purposes: [TREATMENT_REFERRAL], kinds: [TREATMENT_SERVICE] });

export const STORY: StoryCase[] = [
  // Cleveland: straight to the Teesside treatment service, one referral in each state.
  { name: "Alpha", force: "CLE", areaCode: "CLE-STOCKTON", hoursAgo: 8, handover: "NEAS", consent: TS_CONSENT(0.5) },
  { name: "Bravo", force: "CLE", areaCode: "CLE-HARTLEPOOL", hoursAgo: 120, consent: TS_CONSENT(1) },
  { name: "Charlie", force: "CLE", areaCode: "CLE-REDCAR", hoursAgo: 30, handover: "NEAS", consent: TS_CONSENT(1), steps: [{ h: 5, at: "TS-TEESSIDE", do: "accept" }] },
  {
    name: "Delta", force: "CLE", areaCode: "CLE-STOCKTON", hoursAgo: 200, consent: TS_CONSENT(1),
    steps: [
      { h: 3, at: "TS-TEESSIDE", do: "accept" },
      { h: 20, at: "TS-TEESSIDE", do: "contact", method: ContactMethod.PHONE, outcome: ContactOutcome.NO_ANSWER },
      { h: 50, at: "TS-TEESSIDE", do: "contact", method: ContactMethod.TEXT, outcome: ContactOutcome.LEFT_MESSAGE },
    ],
  },
  {
    name: "Echo", force: "CLE", areaCode: "CLE-HARTLEPOOL", hoursAgo: 300, handover: "NEAS", consent: TS_CONSENT(1),
    steps: [
      { h: 4, at: "TS-TEESSIDE", do: "accept" },
      { h: 10, at: "TS-TEESSIDE", do: "contact", method: ContactMethod.PHONE, outcome: ContactOutcome.NO_ANSWER },
      { h: 26, at: "TS-TEESSIDE", do: "contact", method: ContactMethod.HOME_VISIT, outcome: ContactOutcome.ENGAGED, note: "Assessment booked" },
    ],
  },
  {
    name: "Foxtrot", force: "CLE", areaCode: "CLE-REDCAR", hoursAgo: 600, consent: TS_CONSENT(1),
    steps: [
      { h: 2, at: "TS-TEESSIDE", do: "accept" },
      { h: 20, at: "TS-TEESSIDE", do: "contact", method: ContactMethod.OUTREACH, outcome: ContactOutcome.ENGAGED },
      { h: 300, at: "TS-TEESSIDE", do: "close", outcome: ReferralOutcome.ENGAGED_IN_TREATMENT },
    ],
  },
  { name: "Golf", force: "CLE", areaCode: "CLE-STOCKTON", hoursAgo: 400, consent: TS_CONSENT(1), steps: [{ h: 6, at: "TS-TEESSIDE", do: "decline", reason: "Already supported by another provider" }] },
  { name: "Hotel", force: "CLE", areaCode: "CLE-HARTLEPOOL", hoursAgo: 150, consent: TS_CONSENT(1), steps: [{ h: 4, at: "TS-TEESSIDE", do: "accept" }, { h: 30, do: "withdraw", reason: "Asked us to stop" }] },
  { name: "India", force: "CLE", areaCode: "CLE-REDCAR", hoursAgo: 50, consent: { h: 1, decision: ConsentDecision.REFUSED, purposes: [TREATMENT_REFERRAL], kinds: [TREATMENT_SERVICE] } },

  // South Wales: every incident opens a 72-hour review; with consent, Swansea's treatment service too.
  { name: "Juliet", force: "SWP", areaCode: "SWP-SWANSEA", hoursAgo: 4, handover: "WAST" },
  { name: "Kilo", force: "SWP", areaCode: "SWP-CARDIFF", hoursAgo: 40, handover: "WAST" },
  { name: "Lima", force: "SWP", areaCode: "SWP-SWANSEA", hoursAgo: 64, handover: "WAST", consent: { h: 2, purposes: [HARM_REDUCTION_REVIEW, TREATMENT_REFERRAL], kinds: [TREATMENT_SERVICE, AgencyKind.HARM_REDUCTION_TEAM] } },
  { name: "Mike", force: "SWP", areaCode: "SWP-NEATH-PORT-TALBOT", hoursAgo: 100, consent: { h: 3, purposes: [HARM_REDUCTION_REVIEW, TREATMENT_REFERRAL], codes: ["HRT-SW", "TS-SWANSEA"] } },
  {
    name: "November", force: "SWP", areaCode: "SWP-SWANSEA", hoursAgo: 150, handover: "WAST",
    consent: { h: 2, purposes: [HARM_REDUCTION_REVIEW, TREATMENT_REFERRAL], codes: ["HRT-SW", "TS-SWANSEA"] },
    steps: [
      { h: 6, at: "TS-SWANSEA", do: "accept" },
      { h: 20, do: "screen" },
      { h: 30, at: "TS-SWANSEA", do: "contact", method: ContactMethod.PHONE, outcome: ContactOutcome.ENGAGED },
      { h: 48, do: "completeReview", shareWithTaskforce: true },
    ],
  },

  // Durham: safeguarding to the MASH, which passes people on to the treatment service.
  { name: "Oscar", force: "DUR", areaCode: "DUR-EASINGTON", hoursAgo: 10, handover: "NEAS", consent: { h: 1, purposes: [SAFEGUARDING], codes: ["MASH-DUR"] } },
  { name: "Papa", force: "DUR", areaCode: "DUR-DURHAM", hoursAgo: 130, consent: { h: 1, purposes: [SAFEGUARDING], codes: ["MASH-DUR"] } },
  { name: "Quebec", force: "DUR", areaCode: "DUR-DARLINGTON", hoursAgo: 40, consent: { h: 2, purposes: [SAFEGUARDING], codes: ["MASH-DUR"] }, steps: [{ h: 5, at: "MASH-DUR", do: "accept" }] },
  {
    name: "Romeo", force: "DUR", areaCode: "DUR-EASINGTON", hoursAgo: 260, handover: "NEAS",
    consent: { h: 1, purposes: [SAFEGUARDING, TREATMENT_REFERRAL], codes: ["MASH-DUR", "TS-DURHAM"] },
    steps: [
      { h: 3, at: "MASH-DUR", do: "accept" },
      { h: 24, at: "MASH-DUR", do: "forward", to: "TS-DURHAM" },
      { h: 30, at: "TS-DURHAM", do: "accept" },
      { h: 40, at: "TS-DURHAM", do: "contact", method: ContactMethod.LETTER, outcome: ContactOutcome.NO_ANSWER },
    ],
  },
  { name: "Sierra", force: "DUR", areaCode: "DUR-DURHAM", hoursAgo: 3, grant: { h: 1 } },
  { name: "Tango", force: "DUR", areaCode: "DUR-DARLINGTON", hoursAgo: 90, grant: { h: 2, reviewed: true }, steps: [{ h: 4, at: "MASH-DUR", do: "accept" }, { h: 40, at: "MASH-DUR", do: "close", outcome: ReferralOutcome.NO_FURTHER_ACTION }] },
  // Durham has no direct-treatment route: this consent routes nothing (recordConsent says so).
  { name: "Uniform", force: "DUR", areaCode: "DUR-EASINGTON", hoursAgo: 70, consent: TS_CONSENT(1) },
  // No decision yet: the README's consent example records one for this person.
  { name: "Dahlia", force: "DUR", areaCode: "DUR-DARLINGTON", hoursAgo: 2, handover: "NEAS" },

  // Blackpool: the NWAS NFO co-ordinator (police naloxone, consent covering the ambulance service, and a handover).
  { name: "Victor", force: "LAN", areaCode: "LAN-BLACKPOOL", hoursAgo: 6, handover: "NWAS", consent: { h: 0.5, purposes: [TREATMENT_REFERRAL], kinds: [AMBULANCE_SERVICE, TREATMENT_SERVICE] } },
  { name: "Whiskey", force: "LAN", areaCode: "LAN-BLACKPOOL", hoursAgo: 110, handover: "NWAS", consent: { h: 1, purposes: [TREATMENT_REFERRAL], kinds: [AMBULANCE_SERVICE, TREATMENT_SERVICE] }, steps: [{ h: 3, at: "NWAS", do: "accept" }] },
  {
    name: "Xray", force: "LAN", areaCode: "LAN-BLACKPOOL", hoursAgo: 220, handover: "NWAS", consent: { h: 1, purposes: [TREATMENT_REFERRAL], kinds: [AMBULANCE_SERVICE, TREATMENT_SERVICE] },
    steps: [
      { h: 2, at: "NWAS", do: "accept" },
      { h: 10, at: "NWAS", do: "forward", to: "TS-BLACKPOOL" },
      { h: 12, at: "TS-BLACKPOOL", do: "accept" },
      { h: 40, at: "TS-BLACKPOOL", do: "contact", method: ContactMethod.HOME_VISIT, outcome: ContactOutcome.ENGAGED },
    ],
  },
  {
    name: "Yankee", force: "LAN", areaCode: "LAN-BLACKPOOL", hoursAgo: 330, handover: "NWAS", consent: { h: 1, purposes: [TREATMENT_REFERRAL], kinds: [AMBULANCE_SERVICE] },
    steps: [{ h: 2, at: "NWAS", do: "accept" }, { h: 12, at: "NWAS", do: "contact", method: ContactMethod.PHONE, outcome: ContactOutcome.ENGAGED }],
  },

  // The other areas' treatment services.
  { name: "Zulu", force: "ASC", areaCode: "ASC-BRISTOL", hoursAgo: 20, handover: "SWAST", consent: TS_CONSENT(1) },
  { name: "Amber", force: "ASC", areaCode: "ASC-BATH", hoursAgo: 240, consent: TS_CONSENT(1), steps: [{ h: 2, at: "TS-BRISTOL", do: "accept" }, { h: 30, at: "TS-BRISTOL", do: "contact", method: ContactMethod.PHONE, outcome: ContactOutcome.ENGAGED }] },
  { name: "Birch", force: "NYP", areaCode: "NYP-YORK", hoursAgo: 90, handover: "YAS", consent: TS_CONSENT(1), steps: [{ h: 6, at: "TS-YORK", do: "accept" }] },
  { name: "Cedar", force: "NFK", areaCode: "NFK-NORWICH", hoursAgo: 70, handover: "EEAST", consent: TS_CONSENT(1), steps: [{ h: 1, at: "TS-NORFOLK", do: "accept" }, { h: 9, at: "TS-NORFOLK", do: "contact", method: ContactMethod.PHONE, outcome: ContactOutcome.ENGAGED }] },
];

/** The collar number of the story's officers: `npm run token -- --agency DUR --role OFFICER --collar 4711` finds their incidents. */
export const STORY_COLLAR = "4711";

/** Old generated reviews completed by the story: those due more than this long ago (newer ones stay open). */
const COMPLETE_REVIEWS_DUE_BEFORE_DAYS = 7;


/** The synthetic person of the story's n-th case: "Sample Storyline-Alpha", "Demo Storyline-Bravo", … */
export function storyPerson(n: number): { givenName: string; familyName: string; dateOfBirth: string } {
  return { givenName: n % 2 === 0 ? "Sample" : "Demo", familyName: `Storyline-${STORY[n].name}`, dateOfBirth: `19${70 + (n % 25)}-0${1 + (n % 9)}-${10 + (n % 18)}` };
}

const INBOX_ROLE: Partial<Record<AgencyKind, Role>> = {
  [AgencyKind.TREATMENT_SERVICE]: Role.TREATMENT_WORKER,
  [AgencyKind.AMBULANCE_SERVICE]: Role.NFO_COORDINATOR,
  [AgencyKind.MASH]: Role.MASH_REVIEWER,
  [AgencyKind.HARM_REDUCTION_TEAM]: Role.HARM_REDUCTION_LEAD,
};

/** Plays the story forward; returns how many story incidents, referrals and completed reviews it left. */
export async function seedDemoStory(deps: ServiceDeps): Promise<{ incidents: number; referrals: number; reviewsCompleted: number }> {
  const ds = deps.dataSource;
  const now = deps.clock.now().getTime();
  const at = (t: number): ServiceDeps => ({ ...deps, clock: fixedClock(new Date(t)) });
  const actors = new Map<string, Actor>();
  const actor = async (code: string, role: Role, sub: string, collar: string | null = null) => {
    const key = `${code}/${role}/${sub}`;
    if (!actors.has(key)) actors.set(key, await demoActor(deps.dataSource, code, role, sub, collar));
    return actors.get(key)!;
  };
  const inboxActor = async (code: string) => {
    const a = await ds.getRepository(Agency).findOneByOrFail({ code });
    const role = INBOX_ROLE[a.kind];
    if (!role) throw new Error(`demo story: ${code} has no inbox`);
    return actor(code, role, `${code.toLowerCase()}-demo-worker`);
  };
  const referralOf = async (incidentId: string, code: string): Promise<string> => {
    const [row] = await ds.query(`SELECT r.id FROM referral r JOIN agency a ON a.id = r."toAgencyId" WHERE r."incidentId" = $1 AND a.code = $2`, [incidentId, code]);
    if (!row) throw new Error(`demo story: no referral of the incident at ${code}`);
    return row.id;
  };

  // Swansea's treatment service registers a caseload, so the review screening check has something to find.
  const november = STORY.findIndex((c) => c.name === "November");
  await new ReviewService(at(now - (STORY[november].hoursAgo + 24) * 3600_000)).registerCaseload(await actor("TS-SWANSEA", Role.TREATMENT_WORKER, "ts-swansea-demo-worker"), [
    storyPerson(november),
    { givenName: "Mock", familyName: "Caseloadson", dateOfBirth: "1979-11-02" },
  ]);

  for (const [n, c] of STORY.entries()) {
    const t0 = now - c.hoursAgo * 3600_000;
    const h = (hours: number) => t0 + hours * 3600_000;
    const officer = await actor(c.force, Role.OFFICER, `${c.force.toLowerCase()}-demo-officer`, STORY_COLLAR);
    const centre = DEMO_AREAS[c.areaCode];
    const incident = await new IncidentService(at(h(0.25))).record(officer, {
      idempotencyKey: `${DEMO_STORY_KEY_PREFIX}${c.name.toLowerCase()}`,
      occurredAt: new Date(t0),
      areaCode: c.areaCode,
      location: { lat: centre.lat + ((n % 5) - 2) * 0.004, lng: centre.lng + ((n % 3) - 1) * 0.006 },
      person: { ...storyPerson(n), gender: n % 3 === 0 ? Gender.FEMALE : Gender.MALE },
      substances: n % 4 === 0 ? [Substance.NITAZENES, Substance.HEROIN] : [Substance.HEROIN],
      dosesAdministered: 1 + (n % 2),
      firstAid: { triedToWakeVerbally: true, tiltedHeadBack: true, checkedBreathing: true, recoveryPosition: n % 3 !== 0, chestCompressions: false, rescueBreaths: n % 5 === 0, clearedAirways: true, checkedPulse: true },
      outcome: Outcome.CONSCIOUS_AND_RESPONSIVE,
      ambulanceCalledAt: new Date(t0 - 4 * 60_000),
      ambulanceArrivedAt: c.handover ? new Date(t0 + (6 + (n % 9)) * 60_000) : null,
      seenByParamedics: !!c.handover,
      resupplyNeeded: true,
      kitsRequired: 1,
      disposition: c.handover ? Disposition.CONVEYED_TO_HOSPITAL : Disposition.LEFT_BEFORE_AMBULANCE,
      ambulanceCadReference: c.handover ? `CAD-STORY-${100 + n}` : null,
    });
    if (c.handover) {
      const paramedic = await actor(c.handover, Role.PARAMEDIC, `${c.handover.toLowerCase()}-demo-paramedic`);
      await new HandoverService(at(h(0.4))).record(paramedic, {
        incidentId: incident.id,
        idempotencyKey: `${DEMO_STORY_KEY_PREFIX}handover-${c.name.toLowerCase()}`,
        cadReference: `CAD-STORY-${100 + n}`,
        handedOverAt: new Date(h(0.33)),
        patientCondition: "Breathing and responsive",
        dosesGivenBeforeArrival: 1 + (n % 2),
        accompanyingPeople: n % 2,
        conveyedToHospital: true,
        refusedCare: false,
      });
    }
    let consentId: string | null = null;
    if (c.consent) {
      const consent = await new ConsentService(at(h(c.consent.h))).record(officer, incident.personId, {
        decision: c.consent.decision ?? ConsentDecision.GIVEN,
        purposes: c.consent.purposes,
        recipientKinds: c.consent.kinds ?? [],
        recipientAgencyCodes: c.consent.codes ?? [],
        method: ConsentMethod.VERBAL,
      });
      consentId = consent.id;
    }
    if (c.grant) {
      const reviewer = await actor("MASH-DUR", Role.MASH_REVIEWER, "mash-dur-demo-reviewer");
      const grant = await new ConsentService(at(h(c.grant.h))).requestEmergencyAccess(reviewer, {
        personId: incident.personId,
        basis: EmergencyBasis.SAFEGUARDING,
        justification: "Officer on scene reported a child living at the address (demo)",
      });
      if (c.grant.reviewed) {
        await new ConsentService(at(h(c.grant.h + 1))).reviewGrant(await actor("HUB", Role.AUDITOR, "auditor-1"), grant.id, { outcome: GrantReviewOutcome.APPROPRIATE, note: "Risk to a child was real (demo)" });
      }
    }
    for (const s of c.steps ?? []) {
      const d = at(h(s.h));
      if (s.do === "withdraw") {
        await new ConsentService(d).withdraw(officer, consentId!, s.reason);
        continue;
      }
      if (s.do === "screen" || s.do === "completeReview") {
        const lead = await actor("HRT-SW", Role.HARM_REDUCTION_LEAD, "hrl-2");
        const [review] = await ds.query(`SELECT id FROM review WHERE "incidentId" = $1`, [incident.id]);
        if (s.do === "screen") await new ReviewService(d).screen(lead, review.id);
        else await new ReviewService(d).complete(lead, review.id, { actions: ["Checked peer-to-peer arrangements", "Known to Swansea Bay Recovery Service"], notifyAgencyCodes: s.notify ?? [], shareWithTaskforce: s.shareWithTaskforce ?? false });
        continue;
      }
      const worker = await inboxActor(s.at);
      const referrals = new ReferralService(d);
      const id = await referralOf(incident.id, s.at);
      if (s.do === "accept") await referrals.accept(worker, id);
      else if (s.do === "decline") await referrals.decline(worker, id, s.reason);
      else if (s.do === "contact") await referrals.recordContactAttempt(worker, id, { method: s.method, outcome: s.outcome, note: s.note ?? null, at: new Date(h(s.h)) });
      else if (s.do === "close") await referrals.close(worker, id, s.outcome);
      else if (s.do === "forward") await referrals.forward(worker, id, s.to);
    }
  }

  // The generated South Wales incidents' reviews: most done on time, one in seven late; the last week's stay open.
  const lead = await actor("HRT-SW", Role.HARM_REDUCTION_LEAD, "hrl-2");
  const old: Array<{ id: string; dueAt: Date }> = await ds.query(
    `SELECT v.id, v."dueAt" FROM review v JOIN incident i ON i.id = v."incidentId"
      WHERE v.status = 'OPEN' AND v."dueAt" < $1 AND i."idempotencyKey" NOT LIKE 'demo-story-%' ORDER BY v."dueAt", v.id`,
    [new Date(now - COMPLETE_REVIEWS_DUE_BEFORE_DAYS * 86_400_000)],
  );
  for (const [i, r] of old.entries()) {
    const late = i % 7 === 3;
    await new ReviewService(at(r.dueAt.getTime() + (late ? 30 : -20) * 3600_000)).complete(lead, r.id, { actions: ["Checked peer-to-peer arrangements"], notifyAgencyCodes: [], shareWithTaskforce: i % 3 === 0 });
  }
  const [{ n: referrals }] = await ds.query(`SELECT count(*)::int AS n FROM referral`);
  return { incidents: STORY.length, referrals, reviewsCompleted: old.length + 1 };
}
