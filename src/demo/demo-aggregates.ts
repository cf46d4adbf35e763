import { demoActor } from "./demo-actor.js";
import { Role } from "../core/auth/roles.js";
import type { ServiceDeps } from "../core/context.js";
import { checkSpikes } from "../modules/aggregates/alert.service.js";
import { Disposition, Outcome, Substance } from "../modules/incidents/incident.enums.js";
import { IncidentService } from "../modules/incidents/incident.service.js";
import { DeclineReason, KitHeldIn, OfferOutcome, PointOfOffer, ReleaseType, TrainerType } from "../modules/prisons/prison.enums.js";
import { PrisonService } from "../modules/prisons/prison.service.js";

/** Idempotency-key prefix of the synthetic spike, so it can be told apart from the evaluation's figures. */
export const DEMO_SPIKE_KEY_PREFIX = "demo-spike-";
export const DEMO_SPIKE = { areaCode: "CLE-MIDDLESBROUGH", force: "CLE", location: { lat: 54.5742, lng: -1.235 }, incidents: 12 } as const;


/**
 * Demo data for dashboards: a clearly synthetic cluster of administrations in one Middlesbrough cell
 * over the last day (it raises spike alerts), and prison releases with take-home naloxone coverage
 * near the national 12% (PRISON-3) and Forward Trust's 42% (PRISON-5) last month.
 */
export async function seedDemoAggregates(deps: ServiceDeps): Promise<{ spikeIncidents: number; prisonReleases: number }> {
  const now = deps.clock.now();
  const officer = await demoActor(deps.dataSource, DEMO_SPIKE.force, Role.OFFICER, "cle-demo-spike-officer", "9999");
  const incidents = new IncidentService(deps);
  for (let k = 0; k < DEMO_SPIKE.incidents; k++) {
    const occurredAt = new Date(now.getTime() - (18 - k) * 3600_000);
    const incident = await incidents.record(officer, {
      idempotencyKey: `${DEMO_SPIKE_KEY_PREFIX}${k}`,
      occurredAt,
      areaCode: DEMO_SPIKE.areaCode,
      location: { lat: DEMO_SPIKE.location.lat + (k % 3) * 0.0005, lng: DEMO_SPIKE.location.lng + (k % 4) * 0.0005 },
      person: null,
      substances: [Substance.NITAZENES, Substance.HEROIN],
      dosesAdministered: 2,
      firstAid: { triedToWakeVerbally: true, tiltedHeadBack: true, checkedBreathing: true, recoveryPosition: true, chestCompressions: false, rescueBreaths: k % 2 === 0, clearedAirways: true, checkedPulse: true },
      outcome: k % 5 === 0 ? Outcome.UNCONSCIOUS : Outcome.CONSCIOUS_AND_RESPONSIVE,
      ambulanceCalledAt: new Date(occurredAt.getTime() - 3 * 60_000),
      ambulanceArrivedAt: new Date(occurredAt.getTime() + (9 + k) * 60_000),
      seenByParamedics: true,
      resupplyNeeded: true,
      kitsRequired: 1,
      disposition: Disposition.CONVEYED_TO_HOSPITAL,
    });
    // Until spike checks are wired into recording, the demo runs them itself (a repeat is harmless).
    await checkSpikes(deps, { areaCode: incident.areaCode, h3r7: incident.h3r7, at: occurredAt });
  }

  // Last calendar month's releases: 10 of 85 opioid users with a kit (12%) and 25 of 60 (42%).
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const day = (d: number) => new Date(month.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  const prisons = new PrisonService(deps);
  let releases = 0;
  for (const [code, released, withKit] of [["PRISON-3", 85, 10], ["PRISON-5", 60, 25]] as const) {
    const lead = await demoActor(deps.dataSource, code, Role.PRISON_NALOXONE_LEAD, `${code.toLowerCase()}-demo-lead`, "9999");
    for (let k = 0; k < released + 3; k++) {
      const releaseDate = day(k % 27);
      const kit = k < withKit;
      // The last three are transfers: kits cannot follow, and they are not counted as releases.
      const transfer = k >= released;
      await prisons.record(lead, {
        idempotencyKey: `demo-release-${code}-${k}`,
        opioidUseIdentified: true,
        identifiedOn: new Date(Date.parse(releaseDate) - 56 * 86_400_000).toISOString().slice(0, 10),
        pointOfOffer: k % 3 === 0 ? PointOfOffer.ASSESSMENT : PointOfOffer.CARE_OR_RECOVERY_PLANNING,
        offerOutcome: kit ? OfferOutcome.ACCEPTED : OfferOutcome.DECLINED,
        declineReason: kit ? null : [DeclineReason.AIMING_FOR_ABSTINENCE, DeclineReason.FEAR_OF_POLICE_OR_PROBATION, DeclineReason.FEAR_OF_WITHDRAWAL, DeclineReason.CONFUSION_WITH_NALTREXONE][k % 4],
        trainedOn: kit ? new Date(Date.parse(releaseDate) - 14 * 86_400_000).toISOString().slice(0, 10) : null,
        trainerType: kit ? (k % 2 === 0 ? TrainerType.PEER_MENTOR : TrainerType.NALOXONE_LEAD) : null,
        kitIssued: kit,
        kitHeldIn: kit ? (k % 2 === 0 ? KitHeldIn.PROPERTY : KitHeldIn.VALUABLES) : null,
        releaseDate,
        releaseType: transfer ? ReleaseType.TRANSFERRED : ReleaseType.RELEASED,
        releasedWithKit: kit && !transfer,
      });
      releases++;
    }
  }
  return { spikeIncidents: DEMO_SPIKE.incidents, prisonReleases: releases };
}
