import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import { auditedTransaction } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, conflict, type InputProblem } from "../../core/errors.js";
import { createOnce, insertOnce, requestHash } from "../../core/idempotency.js";
import { forceInScope, ownForce } from "../programme/scope.js";
import { DistributionStatus, StockCount, StockMovement } from "./kit.entity.js";
import { ResupplyStatus, StockLocationKind, StockMovementKind } from "./kit.enums.js";
import { lockForceStock, planLines, PositionCache, writeLines } from "./kit.ledger.js";
import { checkMovement, DEFAULT_STORE, reconcile, requestsMet, type HolderFlows, type LocationRef } from "./kit.policy.js";
import type { DistributionPauseInput, DistributionState, KitReconciliation, StockCountInput, StockFilter, StockMovementInput, StockSummary } from "./kit.types.js";

const today = (d: Date) => d.toISOString().slice(0, 10);
const MAX_DAYS = 3650;

/** Unknown collar numbers are BAD_USER_INPUT on the field that names them (nothing is written). */
export async function checkCollars(m: EntityManager, agencyId: string, refs: Array<[string, LocationRef | null | undefined]>): Promise<void> {
  const officers = refs.filter(([, l]) => l?.kind === StockLocationKind.OFFICER) as Array<[string, LocationRef]>;
  if (officers.length === 0) return;
  const rows: Array<{ collarNumber: string }> = await m.query(`SELECT "collarNumber" FROM officer WHERE "agencyId" = $1 AND "collarNumber" = ANY($2::text[])`, [agencyId, officers.map(([, l]) => l.reference)]);
  const known = new Set(rows.map((r) => r.collarNumber));
  const problems: InputProblem[] = officers.filter(([, l]) => !known.has(l.reference)).map(([f]) => ({ field: `${f}.reference`, rule: "unknown collar number: register the officer first" }));
  if (problems.length) throw badInput(problems);
}

export class KitService {
  constructor(private readonly deps: ServiceDeps) {}

  async recordMovement(actor: Actor, input: StockMovementInput): Promise<StockMovement> {
    const force = ownForce(actor);
    const { dataSource: ds, clock, config } = this.deps;
    const hash = requestHash(input as unknown as Record<string, unknown>);
    return createOnce({
      hash,
      find: () => ds.getRepository(StockMovement).findOneBy({ agencyId: force.id, idempotencyKey: input.idempotencyKey }),
      onConflict: () => conflict("idempotencyKey: already used for a different movement; use a new key for a new movement"),
      validate: async () => {
        const problems = checkMovement(input, clock.now(), config.clockSkewSeconds);
        if (problems.length) throw badInput(problems);
        await checkCollars(ds.manager, force.id, [["location", input.location], ["from", input.from], ["to", input.to]]);
      },
      create: () =>
        auditedTransaction(ds, actor, async (m, trail) => {
          await lockForceStock(m, force.id);
          const batchId = input.kind === StockMovementKind.PROCURED ? await ensureBatch(m, force.id, input.batch!, input.expiresOn!) : null;
          const lines = await planLines(m, force.id, input, batchId);
          const counterpart = input.kind === StockMovementKind.ISSUED ? (input.from ?? DEFAULT_STORE) : input.kind === StockMovementKind.RETURNED ? (input.to ?? DEFAULT_STORE) : null;
          const id = await insertOnce(m, StockMovement, {
            agencyId: force.id,
            idempotencyKey: input.idempotencyKey,
            requestHash: hash,
            kind: input.kind,
            kits: input.kits,
            batch: input.batch ?? null,
            expiresOn: input.expiresOn ?? null,
            locationKind: input.location.kind,
            locationRef: input.location.reference,
            counterpartKind: counterpart?.kind ?? null,
            counterpartRef: counterpart?.reference ?? null,
            at: input.at,
            recordedBySub: actor.sub,
          });
          await writeLines(m, force.id, id, input.at, lines);
          const closed = input.kind === StockMovementKind.ISSUED && input.location.kind === StockLocationKind.OFFICER ? await closeRequests(m, force.id, input.location.reference, input.kits, id, clock.now()) : 0;
          trail.add({ action: "STOCK_MOVEMENT_RECORDED", entityType: "StockMovement", entityId: id, detail: { kind: input.kind, kits: input.kits, resupplyRequestsClosed: closed } });
          return m.getRepository(StockMovement).findOneByOrFail({ id });
        }),
    });
  }

  /**
   * Many movements in one transaction (the demo's stock), through the same rules, ledger and audit
   * as one at a time; any broken rule rolls the whole batch back. Not for retries: keys must be new.
   */
  async recordMovementsInBulk(actor: Actor, inputs: StockMovementInput[]): Promise<number> {
    const force = ownForce(actor);
    const { dataSource: ds, clock, config } = this.deps;
    const problems = inputs.flatMap((input, i) => checkMovement(input, clock.now(), config.clockSkewSeconds).map((p) => ({ ...p, field: `${i}.${p.field}` })));
    if (problems.length) throw badInput(problems);
    await checkCollars(ds.manager, force.id, inputs.flatMap((input, i): Array<[string, LocationRef | null | undefined]> => [[`${i}.location`, input.location], [`${i}.from`, input.from], [`${i}.to`, input.to]]));
    return auditedTransaction(ds, actor, async (m, trail) => {
      await lockForceStock(m, force.id);
      const cache = new PositionCache(m, force.id);
      const open = new Map<string, Array<{ id: string; kitsRequested: number }>>();
      const openRows: Array<{ collar: string; id: string; kitsRequested: number }> = await m.query(
        `SELECT "collarNumber" AS collar, id, "kitsRequested" FROM resupply_request WHERE "agencyId" = $1 AND status = 'OPEN' AND "collarNumber" IS NOT NULL ORDER BY "openedAt", id FOR UPDATE`,
        [force.id],
      );
      for (const r of openRows) open.set(r.collar, [...(open.get(r.collar) ?? []), { id: r.id, kitsRequested: r.kitsRequested }]);
      for (const input of inputs) {
        const batchId = input.kind === StockMovementKind.PROCURED ? await ensureBatch(m, force.id, input.batch!, input.expiresOn!) : null;
        if (batchId) cache.noteBatch(batchId, input.batch!, input.expiresOn!);
        const lines = await planLines(m, force.id, input, batchId, (at) => cache.of(at));
        await cache.apply(lines);
        const counterpart = input.kind === StockMovementKind.ISSUED ? (input.from ?? DEFAULT_STORE) : input.kind === StockMovementKind.RETURNED ? (input.to ?? DEFAULT_STORE) : null;
        const id = await insertOnce(m, StockMovement, {
          agencyId: force.id, idempotencyKey: input.idempotencyKey, requestHash: requestHash(input as unknown as Record<string, unknown>), kind: input.kind, kits: input.kits,
          batch: input.batch ?? null, expiresOn: input.expiresOn ?? null, locationKind: input.location.kind, locationRef: input.location.reference,
          counterpartKind: counterpart?.kind ?? null, counterpartRef: counterpart?.reference ?? null, at: input.at, recordedBySub: actor.sub,
        });
        await writeLines(m, force.id, id, input.at, lines);
        let closed = 0;
        const waiting = input.kind === StockMovementKind.ISSUED && input.location.kind === StockLocationKind.OFFICER ? open.get(input.location.reference) : undefined;
        if (waiting?.length) {
          const met = requestsMet(waiting, input.kits);
          if (met.length) {
            await m.query(`UPDATE resupply_request SET status = $2, "closedAt" = $3, "closedByMovementId" = $4 WHERE id = ANY($1::uuid[])`, [met, ResupplyStatus.CLOSED, clock.now(), id]);
            open.set(input.location.reference, waiting.filter((r) => !met.includes(r.id)));
            closed = met.length;
          }
        }
        trail.add({ action: "STOCK_MOVEMENT_RECORDED", entityType: "StockMovement", entityId: id, detail: { kind: input.kind, kits: input.kits, resupplyRequestsClosed: closed } });
      }
      return inputs.length;
    });
  }

  async recordCount(actor: Actor, input: StockCountInput): Promise<StockCount> {
    const force = ownForce(actor);
    const { dataSource: ds, clock, config } = this.deps;
    const hash = requestHash(input as unknown as Record<string, unknown>);
    return createOnce({
      hash,
      find: () => ds.getRepository(StockCount).findOneBy({ agencyId: force.id, idempotencyKey: input.idempotencyKey }),
      onConflict: () => conflict("idempotencyKey: already used for a different count"),
      validate: async () => {
        const problems: InputProblem[] = [];
        if (!Number.isInteger(input.kits) || input.kits < 0) problems.push({ field: "kits", rule: "must be a whole number of 0 or more" });
        if (input.at.getTime() > clock.now().getTime() + config.clockSkewSeconds * 1000) problems.push({ field: "at", rule: "must not be in the future" });
        if (problems.length) throw badInput(problems);
        await checkCollars(ds.manager, force.id, [["location", input.location]]);
      },
      create: () =>
        auditedTransaction(ds, actor, async (m, trail) => {
          const id = await insertOnce(m, StockCount, {
            agencyId: force.id,
            idempotencyKey: input.idempotencyKey,
            requestHash: hash,
            locationKind: input.location.kind,
            locationRef: input.location.reference,
            kits: input.kits,
            at: input.at,
            recordedBySub: actor.sub,
          });
          trail.add({ action: "STOCK_COUNT_RECORDED", entityType: "StockCount", entityId: id, detail: { kits: input.kits } });
          return m.getRepository(StockCount).findOneByOrFail({ id });
        }),
    });
  }

  /** Pausing needs a reason; setting the state it already has changes nothing (a retry is harmless). */
  async setDistributionPaused(actor: Actor, input: DistributionPauseInput): Promise<DistributionState> {
    const force = ownForce(actor);
    // Stored as given; a reason of only spaces is no reason.
    const reason = input.reason?.trim() ? input.reason : null;
    if (input.paused && !reason) throw badInput([{ field: "reason", rule: "is required when pausing distribution" }]);
    return auditedTransaction(this.deps.dataSource, actor, async (m, trail) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('distribution:' || $1, 0))`, [force.id]);
      const current = await distributionOf(m, force.id);
      if (current.since && current.paused === input.paused && current.reason === (input.paused ? reason : current.reason)) return current;
      const row = await m.getRepository(DistributionStatus).save({ agencyId: force.id, paused: input.paused, reason: input.paused ? reason : null, at: this.deps.clock.now(), setBySub: actor.sub });
      trail.add({ action: input.paused ? "DISTRIBUTION_PAUSED" : "DISTRIBUTION_RESUMED", entityType: "DistributionStatus", entityId: row.id });
      return { paused: row.paused, reason: row.reason, since: row.at };
    });
  }

  async stock(actor: Actor, filter: StockFilter | null | undefined): Promise<StockSummary> {
    const m = this.deps.dataSource.manager;
    const force = await forceInScope(m, actor, filter?.forceCode, "filter.forceCode");
    const days = filter?.days ?? this.deps.config.programme.kitExpiryNoticeDays;
    if (!Number.isInteger(days) || days < 0 || days > MAX_DAYS) throw badInput([{ field: "filter.days", rule: `must be from 0 to ${MAX_DAYS}` }]);
    const on = today(this.deps.clock.now());
    const [onHand, expiring, [resupply], distribution] = await Promise.all([
      m.query(
        `SELECT l."locationKind" AS kind, l."locationRef" AS reference, sum(l.delta)::int AS kits,
                coalesce(sum(l.delta) FILTER (WHERE b."expiresOn" < $2::date), 0)::int AS expired
           FROM stock_ledger l JOIN kit_batch b ON b.id = l."batchId"
          WHERE l."agencyId" = $1 GROUP BY 1, 2 HAVING sum(l.delta) <> 0 ORDER BY 1, 2`,
        [force.id, on],
      ) as Promise<Array<{ kind: StockLocationKind; reference: string; kits: number; expired: number }>>,
      m.query(
        `SELECT b.batch, to_char(b."expiresOn", 'YYYY-MM-DD') AS "expiresOn", sum(p.kits)::int AS kits, count(*)::int AS locations
           FROM (SELECT "batchId", "locationKind", "locationRef", sum(delta) AS kits FROM stock_ledger WHERE "agencyId" = $1 GROUP BY 1, 2, 3 HAVING sum(delta) > 0) p
           JOIN kit_batch b ON b.id = p."batchId"
          WHERE b."expiresOn" <= $2::date + $3::int
          GROUP BY b.batch, b."expiresOn" ORDER BY b."expiresOn", b.batch`,
        [force.id, on, days],
      ) as Promise<Array<{ batch: string; expiresOn: string; kits: number; locations: number }>>,
      m.query(`SELECT count(*)::int AS requests, coalesce(sum("kitsRequested"), 0)::int AS kits FROM resupply_request WHERE "agencyId" = $1 AND status = 'OPEN'`, [force.id]),
      distributionOf(m, force.id),
    ]);
    return {
      forceCode: force.code,
      totalOnHand: onHand.reduce((s, r) => s + r.kits, 0),
      onHand: onHand.map((r) => ({ location: { agencyId: force.id, kind: r.kind, reference: r.reference }, kits: r.kits, expired: r.expired })),
      days,
      expiringKits: expiring.reduce((s, r) => s + r.kits, 0),
      expiring,
      resupplyOutstanding: resupply,
      distribution,
    };
  }

  async reconciliation(actor: Actor, filter: StockFilter | null | undefined): Promise<KitReconciliation> {
    const m = this.deps.dataSource.manager;
    const force = await forceInScope(m, actor, filter?.forceCode, "filter.forceCode");
    const [flows, counts, unmatched, [totals]] = await Promise.all([
      m.query(
        `SELECT l."locationKind" AS kind, l."locationRef" AS reference,
                coalesce(sum(l.delta) FILTER (WHERE s.kind IN ('ISSUED', 'PROCURED')), 0)::int AS issued,
                coalesce(-sum(l.delta) FILTER (WHERE s.kind = 'USED'), 0)::int AS used,
                coalesce(-sum(l.delta) FILTER (WHERE s.kind = 'EXPIRED'), 0)::int AS expired,
                coalesce(-sum(l.delta) FILTER (WHERE s.kind = 'LOST'), 0)::int AS lost,
                coalesce(-sum(l.delta) FILTER (WHERE s.kind = 'RETURNED'), 0)::int AS returned
           FROM stock_ledger l JOIN stock_movement s ON s.id = l."movementId"
          WHERE l."agencyId" = $1 GROUP BY 1, 2`,
        [force.id],
      ) as Promise<Array<{ kind: StockLocationKind; reference: string; issued: number; used: number; expired: number; lost: number; returned: number }>>,
      m.query(
        `SELECT c."locationKind" AS kind, c."locationRef" AS reference, c.kits, c.at,
                (SELECT coalesce(sum(l.delta), 0)::int FROM stock_ledger l
                  WHERE l."agencyId" = c."agencyId" AND l."locationKind" = c."locationKind" AND l."locationRef" = c."locationRef" AND l.at <= c.at) AS "expectedAtCount"
           FROM (SELECT DISTINCT ON ("locationKind", "locationRef") * FROM stock_count WHERE "agencyId" = $1
                  ORDER BY "locationKind", "locationRef", at DESC, "recordedAt" DESC) c`,
        [force.id],
      ) as Promise<Array<{ kind: StockLocationKind; reference: string; kits: number; at: Date; expectedAtCount: number }>>,
      m.query(
        `SELECT i."officerCollarNumber" AS reference, sum(greatest(1, ceil(i."dosesAdministered" / 2.0))::int - coalesce(s.kits, 0))::int AS kits
           FROM incident i LEFT JOIN stock_movement s ON s."incidentId" = i.id
          WHERE i."agencyId" = $1 AND i."officerCollarNumber" IS NOT NULL
          GROUP BY 1 HAVING sum(greatest(1, ceil(i."dosesAdministered" / 2.0))::int - coalesce(s.kits, 0)) > 0`,
        [force.id],
      ) as Promise<Array<{ reference: string; kits: number }>>,
      m.query(
        `SELECT coalesce(sum(kits) FILTER (WHERE kind = 'PROCURED'), 0)::int AS procured, coalesce(sum(kits) FILTER (WHERE kind = 'ISSUED'), 0)::int AS issued,
                coalesce(sum(kits) FILTER (WHERE kind = 'USED'), 0)::int AS used, coalesce(sum(kits) FILTER (WHERE kind = 'EXPIRED'), 0)::int AS expired,
                coalesce(sum(kits) FILTER (WHERE kind = 'LOST'), 0)::int AS lost, coalesce(sum(kits) FILTER (WHERE kind = 'RETURNED'), 0)::int AS returned,
                (SELECT coalesce(sum(delta), 0)::int FROM stock_ledger WHERE "agencyId" = $1 AND "locationKind" = 'STORE') AS "storeOnHand",
                (SELECT coalesce(sum(delta), 0)::int FROM stock_ledger WHERE "agencyId" = $1 AND "locationKind" <> 'STORE') AS "holdersOnHand"
           FROM stock_movement WHERE "agencyId" = $1`,
        [force.id],
      ),
    ]);
    const key = (k: string, r: string) => `${k}\u0000${r}`;
    const byLocation = new Map<string, HolderFlows>();
    for (const f of flows) byLocation.set(key(f.kind, f.reference), { location: { kind: f.kind, reference: f.reference }, issued: f.issued, used: f.used, expired: f.expired, lost: f.lost, returned: f.returned, count: null });
    for (const c of counts) {
      const k = key(c.kind, c.reference);
      const h = byLocation.get(k) ?? { location: { kind: c.kind, reference: c.reference }, issued: 0, used: 0, expired: 0, lost: 0, returned: 0, count: null };
      h.count = { kits: c.kits, at: c.at, expectedAtCount: c.expectedAtCount };
      byLocation.set(k, h);
    }
    const all = [...byLocation.values()].sort((a, b) => a.location.kind.localeCompare(b.location.kind) || a.location.reference.localeCompare(b.location.reference));
    const result = reconcile(all, unmatched.map((u) => ({ location: { kind: StockLocationKind.OFFICER, reference: u.reference }, kits: u.kits })));
    const loc = (l: LocationRef) => ({ agencyId: force.id, kind: l.kind, reference: l.reference });
    return {
      forceCode: force.code,
      ...totals,
      holders: result.holders
        .filter((h) => h.location.kind !== StockLocationKind.STORE)
        .map((h) => ({ location: loc(h.location), issued: h.issued, used: h.used, expired: h.expired, lost: h.lost, returned: h.returned, expectedOnHand: h.expectedOnHand, countedKits: h.count?.kits ?? null, countedAt: h.count?.at ?? null })),
      discrepancies: result.discrepancies.map((d) => ({ ...d, location: loc(d.location) })),
      reconciled: result.discrepancies.length === 0,
    };
  }
}

/** A batch's expiry is fixed by its first procurement: a later one naming another expiry is refused. */
async function ensureBatch(m: EntityManager, agencyId: string, batch: string, expiresOn: string): Promise<string> {
  await m.query(`INSERT INTO kit_batch ("agencyId", batch, "expiresOn") VALUES ($1, $2, $3) ON CONFLICT ("agencyId", batch) DO NOTHING`, [agencyId, batch, expiresOn]);
  const [row] = await m.query(`SELECT id, to_char("expiresOn", 'YYYY-MM-DD') AS "expiresOn" FROM kit_batch WHERE "agencyId" = $1 AND batch = $2`, [agencyId, batch]);
  if (row.expiresOn !== expiresOn) throw badInput([{ field: "expiresOn", rule: "differs from the expiry already recorded for this batch" }]);
  return row.id;
}

/** An issue of kits to an officer closes their open resupply requests it covers, oldest first. */
async function closeRequests(m: EntityManager, agencyId: string, collar: string, kits: number, movementId: string, now: Date): Promise<number> {
  const open: Array<{ id: string; kitsRequested: number }> = await m.query(
    `SELECT id, "kitsRequested" FROM resupply_request WHERE "agencyId" = $1 AND "collarNumber" = $2 AND status = 'OPEN' ORDER BY "openedAt", id FOR UPDATE`,
    [agencyId, collar],
  );
  const met = requestsMet(open, kits);
  if (met.length) {
    await m.query(`UPDATE resupply_request SET status = $2, "closedAt" = $3, "closedByMovementId" = $4 WHERE id = ANY($1::uuid[])`, [met, ResupplyStatus.CLOSED, now, movementId]);
  }
  return met.length;
}

export async function distributionOf(m: EntityManager, agencyId: string): Promise<DistributionState> {
  const [row] = await m.query(`SELECT paused, reason, at FROM distribution_status WHERE "agencyId" = $1 ORDER BY at DESC, id DESC LIMIT 1`, [agencyId]);
  return row ? { paused: row.paused, reason: row.reason, since: row.at } : { paused: false, reason: null, since: null };
}
