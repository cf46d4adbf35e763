import type { DataSource } from "typeorm";
import type { Actor } from "../core/auth/actor.js";
import { AgencyKind, Role } from "../core/auth/roles.js";
import type { ServiceDeps } from "../core/context.js";
import { AgencyService } from "../modules/agencies/agency.service.js";
import { HandoverService } from "../modules/handovers/handover.service.js";
import { IncidentService } from "../modules/incidents/incident.service.js";
import { RouteService } from "../modules/routes/route.service.js";
import { demoActor } from "./demo-actor.js";
import { seedDemoAggregates } from "./demo-aggregates.js";
import { DEMO_AGENCIES, DEMO_ROUTES } from "./demo-agencies.js";
import { demoIncidents } from "./demo-incidents.js";
import { seedDemoProgrammeAfter, seedDemoProgrammeBefore } from "./demo-programme.js";
import { seedDemoStory } from "./demo-story.js";
import { fixedClock } from "../core/clock.js";

export type SeedDeps = ServiceDeps;


export async function isDemoSeeded(ds: DataSource): Promise<boolean> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM agency WHERE code <> 'HUB'`);
  return n > 0;
}

/** Loads the demo data through the same services the API uses. Deterministic; refuses to run twice. */
export async function seedDemo(deps: SeedDeps, options: { incidents?: boolean } = {}): Promise<{ agencies: number; routes: number; incidents: number; handovers: number }> {
  const ds = deps.dataSource;
  if (await isDemoSeeded(ds)) throw new Error("the database already has agencies besides HUB; demo data not loaded");
  const actor = await demoActor(ds, "HUB", Role.ADMIN, "demo-seed");
  const agencies = new AgencyService(ds);
  for (const a of DEMO_AGENCIES) {
    await agencies.create(actor, {
      code: a.code,
      name: a.name,
      kind: a.kind,
      areaCodes: a.areaCodes,
      adderArea: a.adderArea ?? null,
      provisionStatus: a.provisionStatus ?? null,
      officersTrained: a.officersTrained ?? null,
    });
  }
  const routes = new RouteService(ds);
  for (const r of DEMO_ROUTES) await routes.configure(actor, r);
  const counts = { agencies: DEMO_AGENCIES.length, routes: DEMO_ROUTES.length, incidents: 0, handovers: 0 };
  if (options.incidents === false) return counts;

  // Administrations through the recording path, as officers and paramedics would submit them.
  const perForce = Object.fromEntries(DEMO_AGENCIES.filter((a) => a.administrations).map((a) => [a.code, a.administrations as number]));
  // Each record is made as if shortly after the event (the services read this clock), so reviews
  // and deadlines fall where they would have.
  const when = (t: number) => ({ ...deps, clock: fixedClock(new Date(Math.min(t, deps.clock.now().getTime()))) });
  const ambulanceFor = (area: string) => DEMO_AGENCIES.find((a) => a.kind === AgencyKind.AMBULANCE_SERVICE && a.areaCodes.includes(area))!.code;
  const officers = new Map<string, Actor>();
  const paramedics = new Map<string, Actor>();
  const demo = demoIncidents(perForce, deps.clock.now());
  const collarOf = (i: number) => String(1000 + (i % 37));
  await seedDemoProgrammeBefore(deps, demo, collarOf);
  for (const [i, d] of demo.entries()) {
    const collar = collarOf(i);
    if (!officers.has(d.force)) officers.set(d.force, await demoActor(ds, d.force, Role.OFFICER, `${d.force.toLowerCase()}-demo-officer`));
    const officer = { ...officers.get(d.force)!, collarNumber: collar };
    const [a, b, c, e, f, g, h, k] = d.firstAid;
    const incident = await new IncidentService(when(d.occurredAt.getTime() + 90 * 60_000)).record(officer, {
      idempotencyKey: `demo-incident-${i}`,
      occurredAt: d.occurredAt,
      areaCode: d.areaCode,
      location: d.location,
      person: d.person,
      substances: d.substances,
      dosesAdministered: d.doses,
      firstAid: { triedToWakeVerbally: a, tiltedHeadBack: b, checkedBreathing: c, recoveryPosition: e, chestCompressions: f, rescueBreaths: g, clearedAirways: h, checkedPulse: k },
      outcome: d.outcome,
      ambulanceCalledAt: d.callMinutesBefore === null ? null : new Date(d.occurredAt.getTime() - d.callMinutesBefore * 60_000),
      ambulanceArrivedAt: d.responseMinutes === null || d.callMinutesBefore === null ? null : new Date(d.occurredAt.getTime() + (d.responseMinutes - d.callMinutesBefore) * 60_000),
      seenByParamedics: d.seenByParamedics,
      resupplyNeeded: d.kits !== null,
      kitsRequired: d.kits,
      disposition: d.disposition,
    });
    counts.incidents++;
    if (d.handover && d.responseMinutes !== null && d.callMinutesBefore !== null) {
      const service = ambulanceFor(d.areaCode);
      if (!paramedics.has(service)) paramedics.set(service, await demoActor(ds, service, Role.PARAMEDIC, `${service.toLowerCase()}-demo-paramedic`));
      const handedOverAt = new Date(d.occurredAt.getTime() + Math.max(1, d.responseMinutes - d.callMinutesBefore + 2) * 60_000);
      await new HandoverService(when(Math.max(handedOverAt.getTime(), d.occurredAt.getTime()) + 90 * 60_000)).record(paramedics.get(service)!, {
        incidentId: incident.id,
        idempotencyKey: `demo-handover-${i}`,
        cadReference: `CAD-${service}-${10000 + i}`,
        handedOverAt,
        patientCondition: d.outcome === "CONSCIOUS_AND_RESPONSIVE" ? "Breathing and responsive" : "Breathing, not responsive",
        dosesGivenBeforeArrival: d.doses,
        accompanyingPeople: i % 3,
        conveyedToHospital: d.disposition === "CONVEYED_TO_HOSPITAL",
        refusedCare: d.disposition === "REFUSED_CONVEYANCE",
      });
      counts.handovers++;
    }
  }
  // The story first: its steps run at past times, and the spike's checks should be the latest.
  await seedDemoStory(deps);
  await seedDemoAggregates(deps);
  await seedDemoProgrammeAfter(deps);
  return counts;
}
