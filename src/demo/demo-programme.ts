import { demoActor } from "./demo-actor.js";
import { STORY_COLLAR } from "./demo-story.js";
import { Role } from "../core/auth/roles.js";
import type { ServiceDeps } from "../core/context.js";
import { FundingSource, FundingStrand } from "../modules/funding/funding.enums.js";
import { FundingService } from "../modules/funding/funding.service.js";
import { StockLocationKind, StockMovementKind } from "../modules/kits/kit.enums.js";
import { KitService } from "../modules/kits/kit.service.js";
import type { StockMovementInput } from "../modules/kits/kit.types.js";
import { kitsUsedFor } from "../modules/kits/kit.policy.js";
import { OfficerRole, RolloutPhase, TrainingKind, TrainingMode, TrainingModule, TrainingProvider } from "../modules/officers/officer.enums.js";
import { OfficerService } from "../modules/officers/officer.service.js";
import type { OfficerInput, TrainingInput } from "../modules/officers/officer.types.js";
import { CarriageStatus } from "../modules/programme/programme.enums.js";
import { ProgrammeStatusService } from "../modules/programme/status.service.js";
import { DEMO_AGENCIES } from "./demo-agencies.js";
import type { DemoIncident } from "./demo-incidents.js";

// Programme-monitoring demo data. Officers trained per force are the evaluation's Table 1; statuses
// are as it reports them (December 2024). Stock, training dates, funding amounts and the paused force
// are synthetic and say so: the evaluation names none of them.

/** The force whose distribution is paused in the demo (the evaluation does not say which force paused). */
export const DEMO_PAUSED_FORCE = "NFK";
/** The force whose resupply requests are left outstanding in the demo. */
export const DEMO_OUTSTANDING_FORCE = "ASC";
/** The one deliberate discrepancy: a Durham van's count finds a kit fewer than the records expect. */
export const DEMO_DISCREPANCY = { force: "DUR", vehicle: "DUR-VAN-3" } as const;

const DAY = 86_400_000;
const MODULES = Object.values(TrainingModule);

const dateOf = (d: Date) => d.toISOString().slice(0, 10);
const forces = () => DEMO_AGENCIES.filter((a) => a.officersTrained);
const collarOf = (i: number) => String(1000 + i);

function roleOf(i: number): { role: OfficerRole; rolloutPhase: RolloutPhase } {
  if (i % 10 === 0) return { role: OfficerRole.CUSTODY_OFFICER, rolloutPhase: RolloutPhase.CUSTODY };
  if (i % 10 === 1) return { role: OfficerRole.ROADS_POLICING, rolloutPhase: RolloutPhase.ROADS_POLICING };
  if (i % 10 === 2) return { role: OfficerRole.PCSO, rolloutPhase: RolloutPhase.RESPONSE_AND_PCSO };
  if (i % 25 === 3) return { role: OfficerRole.INSPECTOR, rolloutPhase: RolloutPhase.RESPONSE_AND_PCSO };
  return { role: OfficerRole.RESPONSE_OFFICER, rolloutPhase: RolloutPhase.RESPONSE_AND_PCSO };
}

/**
 * Before the administrations are recorded: each force's roster (Table 1's officers trained), their
 * training (about three in four refreshed in the last year, a few due within the month), stock
 * procured, a kit issued to every carrying officer (and enough to the officers who will record the
 * demo administrations), and a batch near expiry at each force's headquarters.
 */
export async function seedDemoProgrammeBefore(deps: ServiceDeps, incidents: readonly DemoIncident[], collarOfIncident: (i: number) => string): Promise<{ officers: number; trainings: number; movements: number }> {
  const now = deps.clock.now();
  const counts = { officers: 0, trainings: 0, movements: 0 };
  // Kits each demo officer will use, so their administrations match issued kits.
  const needed = new Map<string, number>();
  incidents.forEach((d, i) => {
    const k = `${d.force}:${collarOfIncident(i)}`;
    needed.set(k, (needed.get(k) ?? 0) + kitsUsedFor(d.doses));
  });
  for (const f of forces()) {
    const lead = await demoActor(deps.dataSource, f.code, Role.FORCE_LEAD, `${f.code.toLowerCase()}-demo-force-lead`);
    const trained = f.officersTrained!;
    const roster: OfficerInput[] = Array.from({ length: trained }, (_, i) => ({ collarNumber: collarOf(i), areaCode: f.areaCodes[i % f.areaCodes.length], carries: i < 37 || i % 10 !== 9, ...roleOf(i) }));
    await new OfficerService(deps).registerMany(lead, roster);
    counts.officers += roster.length;

    const training: TrainingInput[] = [];
    roster.forEach((o, i) => {
      const base = { collarNumber: o.collarNumber, mode: [TrainingMode.INTEGRATED_FIRST_AID, TrainingMode.IN_PERSON_STANDALONE, TrainingMode.ONLINE_SELF_DIRECTED][i % 3], provider: i % 2 ? TrainingProvider.IN_HOUSE : TrainingProvider.EXTERNAL, modules: MODULES.slice(0, 5 + (i % 4)) };
      if (i % 20 === 5) {
        // Refresher due within the month: trained 11 months and about two weeks ago.
        training.push({ ...base, trainedOn: dateOf(new Date(now.getTime() - (335 + (i % 7)) * DAY)), confidenceBefore: 3 + (i % 4), confidenceAfter: 7 + (i % 3) });
        return;
      }
      const initial = new Date(now.getTime() - (420 + ((i * 37) % 500)) * DAY);
      training.push({ ...base, trainedOn: dateOf(initial), confidenceBefore: 3 + (i % 4), confidenceAfter: 7 + (i % 3) });
      if (i % 4 !== 0) training.push({ ...base, kind: TrainingKind.REFRESHER, mode: TrainingMode.ONLINE_SELF_DIRECTED, modules: MODULES.slice(4), trainedOn: dateOf(new Date(now.getTime() - (20 + ((i * 13) % 320)) * DAY)) });
    });
    counts.trainings += await new OfficerService(deps).importTraining(lead, training);

    const at = new Date(now.getTime() - 600 * DAY);
    const store = { kind: StockLocationKind.STORE, reference: "MAIN" };
    const carriers = roster.filter((o) => o.carries);
    const toOfficers = carriers.map((o) => Math.max(1, (needed.get(`${f.code}:${o.collarNumber}`) ?? 0) + 1));
    const extra = f.code === "CLE" ? 13 : 0; // the synthetic Middlesbrough spike's officer, collar 9999
    const moves: StockMovementInput[] = [
      { idempotencyKey: `demo-${f.code}-procure-main`, kind: StockMovementKind.PROCURED, kits: toOfficers.reduce((s, n) => s + n, 0) + extra + 150, batch: `${f.code}-NX-2024A`, expiresOn: dateOf(new Date(now.getTime() + 500 * DAY)), location: store, at },
      { idempotencyKey: `demo-${f.code}-procure-old`, kind: StockMovementKind.PROCURED, kits: 40, batch: `${f.code}-NX-2023C`, expiresOn: dateOf(new Date(now.getTime() + 21 * DAY)), location: store, at },
      { idempotencyKey: `demo-${f.code}-issue-hq`, kind: StockMovementKind.ISSUED, kits: 24, batch: `${f.code}-NX-2023C`, location: { kind: StockLocationKind.STATION, reference: `${f.code}-HQ` }, at },
      { idempotencyKey: `demo-${f.code}-issue-van`, kind: StockMovementKind.ISSUED, kits: 6, batch: `${f.code}-NX-2024A`, location: { kind: StockLocationKind.VEHICLE, reference: `${f.code}-VAN-3` }, at },
      ...carriers.map((o, i) => ({ idempotencyKey: `demo-${f.code}-issue-${o.collarNumber}`, kind: StockMovementKind.ISSUED, kits: toOfficers[i], batch: `${f.code}-NX-2024A`, location: { kind: StockLocationKind.OFFICER, reference: o.collarNumber }, at })),
    ];
    if (extra) {
      await new OfficerService(deps).register(lead, { collarNumber: "9999", role: OfficerRole.RESPONSE_OFFICER, areaCode: "CLE-MIDDLESBROUGH", carries: true, rolloutPhase: RolloutPhase.RESPONSE_AND_PCSO });
      moves.push({ idempotencyKey: "demo-CLE-issue-9999", kind: StockMovementKind.ISSUED, kits: extra, batch: "CLE-NX-2024A", location: { kind: StockLocationKind.OFFICER, reference: "9999" }, at });
    }
    // The demo story's officer (collar 4711 in every force) carries kits too, so the story's
    // administrations are matched to kits issued, and its resupply requests are met.
    await new OfficerService(deps).register(lead, { collarNumber: STORY_COLLAR, role: OfficerRole.RESPONSE_OFFICER, areaCode: f.areaCodes[0], carries: true, rolloutPhase: RolloutPhase.RESPONSE_AND_PCSO });
    moves.push({ idempotencyKey: `demo-${f.code}-issue-story`, kind: StockMovementKind.ISSUED, kits: 15, batch: `${f.code}-NX-2024A`, location: { kind: StockLocationKind.OFFICER, reference: STORY_COLLAR }, at });
    counts.movements += await new KitService(deps).recordMovementsInBulk(lead, moves);
  }
  return counts;
}

/**
 * After the administrations: resupply requests met by issues (except one force's, left
 * outstanding), the one deliberate discrepancy, one force's distribution paused, funding for every
 * strand, and each force's status as the evaluation reports it.
 */
export async function seedDemoProgrammeAfter(deps: ServiceDeps): Promise<{ fundingLines: number; statuses: number }> {
  const now = deps.clock.now();
  for (const f of forces()) {
    if (f.code === DEMO_OUTSTANDING_FORCE) continue;
    const lead = await demoActor(deps.dataSource, f.code, Role.FORCE_LEAD, `${f.code.toLowerCase()}-demo-force-lead`);
    const open: Array<{ collar: string; kits: number }> = await deps.dataSource.query(
      `SELECT r."collarNumber" AS collar, sum(r."kitsRequested")::int AS kits FROM resupply_request r JOIN agency a ON a.id = r."agencyId"
        WHERE a.code = $1 AND r.status = 'OPEN' AND r."collarNumber" IS NOT NULL GROUP BY 1 ORDER BY 1`,
      [f.code],
    );
    const moves = open.map((o) => ({ idempotencyKey: `demo-${f.code}-resupply-${o.collar}`, kind: StockMovementKind.ISSUED, kits: o.kits, location: { kind: StockLocationKind.OFFICER, reference: o.collar }, at: new Date(now.getTime() - DAY) }));
    if (moves.length) await new KitService(deps).recordMovementsInBulk(lead, moves);
  }
  const dur = await demoActor(deps.dataSource, DEMO_DISCREPANCY.force, Role.FORCE_LEAD, "dur-demo-force-lead");
  await new KitService(deps).recordCount(dur, { idempotencyKey: "demo-DUR-count-van-3", location: { kind: StockLocationKind.VEHICLE, reference: DEMO_DISCREPANCY.vehicle }, kits: 5, at: new Date(now.getTime() - 2 * DAY) });
  const paused = await demoActor(deps.dataSource, DEMO_PAUSED_FORCE, Role.FORCE_LEAD, "nfk-demo-force-lead");
  await new KitService(deps).setDistributionPaused(paused, { paused: true, reason: "Further distribution paused while supply monitoring is reviewed: kits issued could not be reconciled with kits used (demo)" });

  const hub = await demoActor(deps.dataSource, "HUB", Role.PROGRAMME_LEAD, "demo-programme-lead");
  const funding = new FundingService(deps);
  let fundingLines = 0;
  for (const [i, f] of DEMO_AGENCIES.filter((a) => a.provisionStatus).entries()) {
    const adder = !!f.adderArea;
    const lines = [
      { strand: FundingStrand.INITIAL_ROLLOUT, source: adder ? FundingSource.ADDER : FundingSource.FORCE_BUDGET, available: 80000 + 5000 * i, allocated: 75000 + 5000 * i, spent: 70000 + 4000 * i, periodStart: "2023-04-01", periodEnd: "2025-03-31" },
      { strand: FundingStrand.ONGOING_TRAINING, source: adder ? FundingSource.ADDER : FundingSource.FORCE_BUDGET, available: 15000 + 1000 * i, allocated: 12000 + 1000 * i, spent: 6000 + 500 * i, periodStart: "2025-04-01", periodEnd: "2027-03-31" },
      { strand: FundingStrand.MONITORING_AND_SUPPLY, source: i % 3 === 0 ? FundingSource.UNKNOWN : FundingSource.PUBLIC_HEALTH_GRANT, available: 8000 + 500 * i, allocated: 6000, spent: 2500 + 250 * i, periodStart: "2025-04-01", periodEnd: null },
    ];
    for (const l of lines) {
      await funding.record(hub, { forceCode: f.code, ...l });
      fundingLines++;
    }
  }
  const statuses = new ProgrammeStatusService(deps);
  let n = 0;
  for (const f of DEMO_AGENCIES.filter((a) => a.provisionStatus)) {
    const received = f.officersTrained != null;
    await statuses.set(hub, {
      forceCode: f.code,
      carriageStatus: f.provisionStatus === "AGREED_NOT_IMPLEMENTED" ? CarriageStatus.AGREED_NOT_IMPLEMENTED : CarriageStatus.ONGOING,
      adder: !!f.adderArea,
      adderArea: f.adderArea ?? null,
      referralPathway: ["SWP", "LAN", "DUR"].includes(f.code) ? true : null,
      mouWithAmbulance: null,
      workingGroup: null,
      dataReceived: received,
      asOf: "2024-12-30",
    });
    n++;
  }
  return { fundingLines, statuses: n };
}
