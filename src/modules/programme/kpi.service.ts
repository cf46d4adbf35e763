import type { Actor } from "../../core/auth/actor.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput } from "../../core/errors.js";
import { FundingStrand } from "../funding/funding.enums.js";
import { CarriageStatus } from "./programme.enums.js";
import { snapWeeks } from "../aggregates/period.policy.js";
import { auditAggregateRead } from "../aggregates/aggregate-read.js";
import { publishCounts, publishedRate, staticKeySum } from "./disclosure.js";
import type { ProgrammeFigures, ProgrammeKpiFilter, ProgrammeKpis } from "./kpi.types.js";

interface ForceRow {
  id: string;
  code: string;
  dataReceived: boolean | null;
  paused: boolean | null;
  administrations: number;
  /** Sum of the counted incidents' record keys (int8 as text). */
  administrationsKey: string;
  trained: number;
  carrying: number;
  inDate: number;
  onHand: number;
  expiring: number;
  used: number;
}

const METRICS = ["administrations", "trained", "carrying", "inDate", "onHand", "expiring", "used"] as const;

export class ProgrammeKpiService {
  constructor(private readonly deps: ServiceDeps) {}

  async kpis(actor: Actor, filter: ProgrammeKpiFilter | null | undefined): Promise<ProgrammeKpis> {

    const days = filter?.expiringWithinDays ?? this.deps.config.programme.kitExpiryNoticeDays;
    if (!Number.isInteger(days) || days < 0 || days > 3650) throw badInput([{ field: "filter.expiringWithinDays", rule: "must be from 0 to 3650" }]);
    const now = this.deps.clock.now();
    // Administrations are incidents: whole weeks on the same grid as every other aggregate.
    const snapped = snapWeeks(filter, now);
    if ("problems" in snapped) throw badInput(snapped.problems);
    const { from, to } = snapped.period;
    await auditAggregateRead(this.deps.dataSource, actor, "programmeKpis", { ...filter }, snapped.period);
    const today = now.toISOString().slice(0, 10);
    // Training and refreshers are counted as of the period's end when it lies in the past.
    const asOf = to && to < now ? new Date(to.getTime() - 1).toISOString().slice(0, 10) : today;
    const ds = this.deps.dataSource;

    const rows: ForceRow[] = await ds.query(
      `SELECT a.id, a.code,
              (SELECT s."dataReceived" FROM programme_status s WHERE s."agencyId" = a.id ORDER BY s."asOf" DESC LIMIT 1) AS "dataReceived",
              (SELECT d.paused FROM distribution_status d WHERE d."agencyId" = a.id ORDER BY d.at DESC, d.id DESC LIMIT 1) AS paused,
              (SELECT count(*) FROM incident i WHERE i."agencyId" = a.id AND i."occurredAt" >= $2 AND i."occurredAt" < $3)::int AS administrations,
              (SELECT coalesce(sum(i."recordKey"), 0) FROM incident i WHERE i."agencyId" = a.id AND i."occurredAt" >= $2 AND i."occurredAt" < $3)::text AS "administrationsKey",
              (SELECT count(DISTINCT t."officerId") FROM training_record t WHERE t."agencyId" = a.id AND t."trainedOn" <= $4::date)::int AS trained,
              (SELECT count(*) FROM officer o WHERE o."agencyId" = a.id AND o.carries)::int AS carrying,
              (SELECT count(*) FROM (SELECT t."officerId" FROM training_record t WHERE t."agencyId" = a.id AND t."trainedOn" <= $4::date
                  GROUP BY t."officerId" HAVING (max(t."trainedOn") + make_interval(months => $5))::date >= $4::date) x)::int AS "inDate",
              (SELECT coalesce(sum(l.delta), 0) FROM stock_ledger l WHERE l."agencyId" = a.id)::int AS "onHand",
              (SELECT coalesce(sum(l.delta), 0) FROM stock_ledger l JOIN kit_batch b ON b.id = l."batchId" WHERE l."agencyId" = a.id AND b."expiresOn" <= $6::date + $7::int)::int AS expiring,
              (SELECT coalesce(sum(m.kits), 0) FROM stock_movement m WHERE m."agencyId" = a.id AND m.kind = 'USED' AND m.at >= $2 AND m.at < $3)::int AS used
         FROM agency a
        WHERE a.kind = 'POLICE_FORCE' AND a.active IS NOT FALSE AND ($1::text[] IS NULL OR a.code = ANY($1::text[]))
        ORDER BY a.code`,
      [filter?.forceCodes ?? null, from, to, asOf, this.deps.config.programme.refresherMonths, today, days],
    );

    const rule = this.deps.config.suppression;
    const reporting = rows.filter((r) => r.dataReceived !== false);
    const published = Object.fromEntries(METRICS.map((k) => [k, publishCounts(reporting.map((r) => r[k]), reporting.map((r) => (k === "administrations" ? r.administrationsKey : staticKeySum(`${r.code}:${k}`))), rule)])) as Record<(typeof METRICS)[number], ReturnType<typeof publishCounts>>;
    const figures = (code: string, pick: (k: (typeof METRICS)[number]) => ReturnType<typeof publishCounts>["total"], paused: boolean | null): ProgrammeFigures => ({
      forceCode: code,
      dataReceived: true,
      distributionPaused: paused,
      administrations: pick("administrations"),
      trained: pick("trained"),
      carrying: pick("carrying"),
      refresherInDate: pick("inDate"),
      administrationsPer100Carrying: publishedRate(pick("administrations"), pick("carrying"), 100, 1),
      refresherCompliance: publishedRate(pick("inDate"), pick("trained"), 1, 2),
      kitsOnHand: pick("onHand"),
      kitsExpiring: pick("expiring"),
      kitsUsed: pick("used"),
    });
    const noData = (code: string, paused: boolean): ProgrammeFigures => ({
      forceCode: code, dataReceived: false, distributionPaused: paused, administrations: null, trained: null, carrying: null, refresherInDate: null,
      administrationsPer100Carrying: null, refresherCompliance: null, kitsOnHand: null, kitsExpiring: null, kitsUsed: null,
    });
    const forces = rows.map((r) => {
      const i = reporting.indexOf(r);
      return i < 0 ? noData(r.code, r.paused === true) : figures(r.code, (k) => published[k].parts[i], r.paused === true);
    });

    const ids = rows.map((r) => r.id);
    const funding: Array<{ strand: FundingStrand; available: string; allocated: string; spent: string }> = await ds.query(
      `SELECT strand, sum(available) AS available, sum(allocated) AS allocated, sum(spent) AS spent FROM funding_record
        WHERE "agencyId" = ANY($1::uuid[]) AND ($2::date IS NULL OR "periodEnd" IS NULL OR "periodEnd" >= $2::date) AND ($3::date IS NULL OR "periodStart" < $3::date)
        GROUP BY strand`,
      [ids, from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)],
    );
    const statuses: Array<{ status: CarriageStatus; forces: number }> = await ds.query(
      `SELECT s."carriageStatus" AS status, count(*)::int AS forces
         FROM programme_status s WHERE s."agencyId" = ANY($1::uuid[]) AND s."asOf" = (SELECT max(x."asOf") FROM programme_status x WHERE x."agencyId" = s."agencyId")
        GROUP BY 1`,
      [ids],
    );
    const money = (v: string | undefined) => Math.round(Number(v ?? 0) * 100) / 100;
    return {
      period: { from, to },
      expiringWithinDays: days,
      forces,
      total: figures("ALL", (k) => published[k].total, null),
      fundingByStrand: Object.values(FundingStrand).map((strand) => {
        const f = funding.find((x) => x.strand === strand);
        const available = money(f?.available);
        const spent = money(f?.spent);
        return { strand, available, allocated: money(f?.allocated), spent, remaining: Math.round((available - spent) * 100) / 100 };
      }),
      forcesByCarriageStatus: Object.values(CarriageStatus).map((status) => ({ status, forces: statuses.find((s) => s.status === status)?.forces ?? 0 })),
      forcesDistributionPaused: rows.filter((r) => r.paused === true).length,
      suppression: { ...rule },
    };
  }
}
