import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import type { Config } from "../../core/config.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, notFound } from "../../core/errors.js";
import { isUuid } from "../../core/ids.js";
import { Topic } from "../../core/pubsub.js";
import { auditAggregateRead } from "./aggregate-read.js";
import { SpikeAlertRecord, SpikeWindow, WINDOW_HOURS } from "./alert.entity.js";
import { BASELINE_HOURS, BASELINE_PRIOR, episodeAction, evaluateWindow, poissonUpperTail, significanceBand, toHour } from "./alert.policy.js";
import { AlertStatus, type AlertFilter, type SpikeAlert } from "./alert.types.js";
import { keySumSql, publishCount } from "./suppression.policy.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";

const WINDOWS = Object.values(SpikeWindow);
const LOOKBACK_HOURS = Math.max(...Object.values(WINDOW_HOURS)) + BASELINE_HOURS;

export interface SpikeCheckResult {
  opened: string[];
  updated: string[];
  closed: string[];
}

/**
 * The published face of an alert. Its count follows the small-number rule (cell key of the window's
 * incidents); expected, p-value and significance come from the published figures only, never the
 * true ones, so they cannot give back a hidden count. With the count hidden, only "significant"
 * (which the alert's existence says anyway) is published. Times are to the hour.
 */
export function toSpikeAlert(r: SpikeAlertRecord, config: Pick<Config, "suppression" | "alerts">): SpikeAlert {
  const count = publishCount(r.count, r.countKeySum, config.suppression);
  const baseline = publishCount(r.baselineCount, r.baselineKeySum, config.suppression);
  const expected = count.suppressed || baseline.suppressed ? null : ((baseline.count! + BASELINE_PRIOR) * WINDOW_HOURS[r.window]) / BASELINE_HOURS;
  const band = significanceBand(expected === null ? null : poissonUpperTail(count.count!, expected), config.alerts.pValue);
  return {
    id: r.id,
    areaCode: r.areaCode,
    h3: r.h3,
    window: r.window,
    status: r.closedAt ? AlertStatus.CLOSED : AlertStatus.OPEN,
    count: count.count,
    suppressed: count.suppressed,
    expected: expected === null ? null : Math.round(expected * 100) / 100,
    significance: band.significance,
    pValue: band.pValue,
    openedAt: toHour(r.openedAt),
    closedAt: r.closedAt ? toHour(r.closedAt) : null,
    lastEvaluatedAt: toHour(r.lastEvaluatedAt),
  };
}

/** Window and baseline counts of one area (h3 null) or cell at `at`, in one statement. */
type WindowFigures = { count: number; baselineCount: number; countKeySum: string; baselineKeySum: string };
async function windowCounts(m: EntityManager, scope: { areaCode: string; h3: string | null }, at: Date): Promise<Record<SpikeWindow, WindowFigures>> {
  const [row] = await m.query(
    `SELECT ${WINDOWS.map((w) => {
      const h = WINDOW_HOURS[w];
      const inWindow = `"occurredAt" > $2::timestamptz - interval '${h} hours'`;
      const inBaseline = `"occurredAt" <= $2::timestamptz - interval '${h} hours' AND "occurredAt" > $2::timestamptz - interval '${h + BASELINE_HOURS} hours'`;
      return `count(*) FILTER (WHERE ${inWindow})::int AS "${w}", ${keySumSql("incident", inWindow)} AS "${w}_k",
              count(*) FILTER (WHERE ${inBaseline})::int AS "${w}_baseline", ${keySumSql("incident", inBaseline)} AS "${w}_baseline_k"`;
    }).join(", ")}
       FROM incident
      WHERE ${scope.h3 ? `h3r7 = $1` : `"areaCode" = $1`}
        AND "occurredAt" <= $2::timestamptz AND "occurredAt" > $2::timestamptz - interval '${LOOKBACK_HOURS} hours'`,
    [scope.h3 ?? scope.areaCode, at],
  );
  return Object.fromEntries(
    WINDOWS.map((w) => [w, { count: row[w], baselineCount: row[`${w}_baseline`], countKeySum: row[`${w}_k`], baselineKeySum: row[`${w}_baseline_k`] }]),
  ) as Record<SpikeWindow, WindowFigures>;
}

/**
 * Re-evaluates one area or cell at `at` in both windows, opening, updating or closing its episodes.
 * A transaction-scoped advisory lock per scope makes concurrent checks take turns, so one episode
 * never becomes two.
 */
async function evaluateScope(deps: Pick<ServiceDeps, "dataSource" | "config">, scope: { areaCode: string; h3: string | null }, at: Date, out: SpikeCheckResult): Promise<void> {
  await deps.dataSource.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('spike:' || $1 || ':' || coalesce($2, '')))`, [scope.areaCode, scope.h3]);
    const counts = await windowCounts(m, scope, at);
    const open: SpikeAlertRecord[] = await m
      .getRepository(SpikeAlertRecord)
      .createQueryBuilder("a")
      .where(`a."areaCode" = :area AND a."closedAt" IS NULL`, { area: scope.areaCode })
      .andWhere(scope.h3 ? `a.h3 = :h3` : `a.h3 IS NULL`, { h3: scope.h3 })
      .getMany();
    for (const window of WINDOWS) {
      const verdict = evaluateWindow({ ...counts[window], windowHours: WINDOW_HOURS[window] }, deps.config.alerts);
      const episode = open.find((a) => a.window === window);
      const action = episodeAction(!!episode, verdict.spike);
      const facts = { ...counts[window], expected: verdict.expected, pValue: verdict.pValue, lastEvaluatedAt: at };
      if (action === "OPEN") {
        const saved = await m.getRepository(SpikeAlertRecord).save({ areaCode: scope.areaCode, h3: scope.h3, window, openedAt: at, closedAt: null, peakCount: facts.count, ...facts });
        out.opened.push(saved.id);
      } else if (action === "UPDATE") {
        await m.getRepository(SpikeAlertRecord).update({ id: episode!.id }, { ...facts, peakCount: Math.max(episode!.peakCount, facts.count) });
        out.updated.push(episode!.id);
      } else if (action === "CLOSE") {
        await m.getRepository(SpikeAlertRecord).update({ id: episode!.id }, { closedAt: at, lastEvaluatedAt: at });
        out.closed.push(episode!.id);
      }
    }
  });
}

/** Evaluates scopes one transaction each, publishing each new alert (ids only) once its transaction has committed. */
async function evaluateAndPublish(deps: Pick<ServiceDeps, "dataSource" | "config" | "pubsub">, scopes: Array<{ areaCode: string; h3: string | null }>, at: Date): Promise<SpikeCheckResult> {
  const out: SpikeCheckResult = { opened: [], updated: [], closed: [] };
  for (const scope of scopes) {
    const before = out.opened.length;
    await evaluateScope(deps, scope, at, out);
    for (const alertId of out.opened.slice(before)) deps.pubsub.publish(Topic.ALERT_RAISED, { alertId, areaCode: scope.areaCode });
  }
  return out;
}

/**
 * Checks for spikes after an administration in `areaCode` (and its resolution-7 cell, when it had a
 * location) at `at`. Call it after each recorded incident has committed; the periodic job calls
 * sweepSpikes.
 */
export function checkSpikes(deps: Pick<ServiceDeps, "dataSource" | "config" | "pubsub">, input: { areaCode: string; h3r7: string | null; at: Date }): Promise<SpikeCheckResult> {
  const scopes = [{ areaCode: input.areaCode, h3: null }, ...(input.h3r7 ? [{ areaCode: input.areaCode, h3: input.h3r7 }] : [])];
  return evaluateAndPublish(deps, scopes, input.at);
}

/** How far back the periodic sweep re-checks recorded incidents (longer than its 5-minute schedule). */
export const SWEEP_RECHECK_MINUTES = 15;

/**
 * For the periodic job: re-evaluates every open episode at `at`, so spikes close as time passes
 * with no new incidents, and re-checks areas and cells with incidents recorded in the last
 * SWEEP_RECHECK_MINUTES, so a check that failed after an incident committed is caught up.
 */
export async function sweepSpikes(deps: Pick<ServiceDeps, "dataSource" | "config" | "pubsub">, at: Date): Promise<SpikeCheckResult> {
  const scopes: Array<{ areaCode: string; h3: string | null }> = await deps.dataSource.query(
    `SELECT "areaCode", h3 FROM spike_alert WHERE "closedAt" IS NULL
     UNION SELECT "areaCode", NULL FROM incident WHERE "recordedAt" >= $1::timestamptz - make_interval(mins => $2)
     UNION SELECT "areaCode", h3r7 FROM incident WHERE "recordedAt" >= $1::timestamptz - make_interval(mins => $2) AND h3r7 IS NOT NULL`,
    [at, SWEEP_RECHECK_MINUTES],
  );
  return evaluateAndPublish(deps, scopes, at);
}

export class AlertService {
  constructor(private readonly deps: Pick<ServiceDeps, "dataSource" | "config">) {}

  /** Alerts in the areas the caller's agency serves, newest first. */
  async list(actor: Actor, filter: AlertFilter | null | undefined): Promise<SpikeAlert[]> {
    if (filter?.from && filter?.to && filter.from >= filter.to) throw badInput([{ field: "filter.to", rule: "must be after from" }]);
    // Alerts are published to the hour, so their filter is too (outward).
    const hourFrom = filter?.from ? toHour(filter.from) : null;
    const hourTo = filter?.to ? toHour(new Date(filter.to.getTime() + 3600_000 - 1)) : null;
    await auditAggregateRead(this.deps.dataSource, actor, "alerts", { ...filter, from: hourFrom?.toISOString(), to: hourTo?.toISOString() }, null);
    const qb = scoped(this.deps.dataSource.getRepository(SpikeAlertRecord).createQueryBuilder("a").where("TRUE"), reach.alert, viewerOf(actor), "a");
    if (filter?.areaCodes) qb.andWhere(`a."areaCode" = ANY(:areas)`, { areas: filter.areaCodes });
    if (filter?.status) qb.andWhere(filter.status === AlertStatus.OPEN ? `a."closedAt" IS NULL` : `a."closedAt" IS NOT NULL`);
    if (filter?.window) qb.andWhere(`a.window = :window`, { window: filter.window });
    if (hourFrom) qb.andWhere(`a."openedAt" >= :from`, { from: hourFrom });
    if (hourTo) qb.andWhere(`a."openedAt" < :to`, { to: hourTo });
    const rows = await qb.orderBy(`a."openedAt"`, "DESC").addOrderBy("a.id", "DESC").limit(500).getMany();
    return rows.map((r) => toSpikeAlert(r, this.deps.config));
  }

  /** One alert for a subscriber; the subscription's filter has already matched the caller's areas. */
  async byId(actor: Actor, id: string): Promise<SpikeAlert> {
    if (!isUuid(id)) throw notFound("Alert");
    const r = await this.deps.dataSource.getRepository(SpikeAlertRecord).findOneBy({ id });
    if (!r || !reach.alert.check(viewerOf(actor), r)) throw notFound("Alert");
    await auditAggregateRead(this.deps.dataSource, actor, "alertRaised", { areaCodes: [r.areaCode] }, null);
    return toSpikeAlert(r, this.deps.config);
  }
}
