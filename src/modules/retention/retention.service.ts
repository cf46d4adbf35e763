import { auditedTransaction, writeAudit } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import type { RecurringJob } from "../../core/jobs.js";
import { returnedRows } from "../../core/sql.js";
import { ACTIVE_STATUSES } from "../referrals/referral.state.js";
import { cutoff, dueAt, LOCATION_COLUMNS, PERSON_IDENTIFYING_COLUMNS } from "./retention.policy.js";
import { RetentionKind, type RetentionDue, type RetentionReport } from "./retention.types.js";

/** People erased per transaction: a crash loses at most one batch's work, which the next run redoes. */
const BATCH = 200;
const LIST = 100;

// A person's last activity: the latest of their records' own times. Work still in flight (an
// active referral, an open review) holds the identity whatever the dates.
const PEOPLE_DUE = `
  WITH candidate AS (
    SELECT p.id, GREATEST(
        p."createdAt",
        (SELECT max(i."occurredAt") FROM incident i WHERE i."personId" = p.id),
        (SELECT max(GREATEST(c."obtainedAt", c."withdrawnAt", c."expiresAt")) FROM consent c WHERE c."personId" = p.id),
        (SELECT max(GREATEST(r."createdAt", r."closedAt", r."firstContactAt")) FROM referral r WHERE r."personId" = p.id),
        (SELECT max(GREATEST(v."createdAt", v."completedAt")) FROM review v WHERE v."personId" = p.id),
        (SELECT max(GREATEST(g."grantedAt", g."expiresAt")) FROM access_grant g WHERE g."personId" = p.id),
        (SELECT max(pr."releaseDate"::timestamptz) FROM prison_release pr WHERE pr."personId" = p.id)
      ) AS last
      FROM person p
     WHERE p."erasedAt" IS NULL
       AND (${PERSON_IDENTIFYING_COLUMNS.map((c) => `p."${c}" IS NOT NULL`).join(" OR ")})
  )
  SELECT c.id, c.last FROM candidate c
   WHERE c.last < $1
     AND NOT EXISTS (SELECT 1 FROM referral r WHERE r."personId" = c.id AND r.status::text = ANY($2::text[]))
     AND NOT EXISTS (SELECT 1 FROM review v WHERE v."personId" = c.id AND v.status = 'OPEN')
   ORDER BY c.last, c.id`;

const LOCATIONS_DUE = `
  SELECT i.id, i."personId", i."occurredAt" AS last FROM incident i
   WHERE i."locationErasedAt" IS NULL
     AND (${LOCATION_COLUMNS.map((c) => `i."${c}" IS NOT NULL`).join(" OR ")})
     AND i."occurredAt" < $1
     AND NOT EXISTS (SELECT 1 FROM referral r WHERE r."incidentId" = i.id AND r.status::text = ANY($2::text[]))
   ORDER BY i."occurredAt", i.id`;

export interface RetentionRun {
  dryRun: boolean;
  peopleDue: number;
  locationsDue: number;
  peopleErased: number;
  locationsErased: number;
}

/** The daily job (pg-boss; 03:17 UTC), registered by index.ts. */
export function retentionJob(deps: ServiceDeps): RecurringJob {
  return { name: "retention", cron: "17 3 * * *", run: () => new RetentionService(deps).run() };
}

export class RetentionService {
  constructor(private readonly deps: ServiceDeps) {}

  private cutoffs() {
    const now = this.deps.clock.now();
    const { personDays, locationDays } = this.deps.config.retention;
    return { now, person: cutoff(now, personDays), location: cutoff(now, locationDays) };
  }

  private async counts(): Promise<{ peopleDue: number; locationsDue: number }> {
    const c = this.cutoffs();
    const [[p], [l]] = await Promise.all([
      this.deps.dataSource.query(`SELECT count(*)::int AS n FROM (${PEOPLE_DUE}) x`, [c.person, ACTIVE_STATUSES]),
      this.deps.dataSource.query(`SELECT count(*)::int AS n FROM (${LOCATIONS_DUE}) x`, [c.location, ACTIVE_STATUSES]),
    ]);
    return { peopleDue: p.n, locationsDue: l.n };
  }

  /**
   * One run of the daily job. Idempotent and restart-safe: each batch erases and audits in one
   * transaction, the UPDATEs only touch rows not yet erased (so a repeated or concurrent run erases
   * and audits nothing twice), and whatever a crash left undone is still due next time.
   */
  async run(opts: { batchSize?: number; maxBatches?: number } = {}): Promise<RetentionRun> {
    const { dryRun, personDays, locationDays } = this.deps.config.retention;
    const batch = opts.batchSize ?? BATCH;
    let budget = opts.maxBatches ?? Number.POSITIVE_INFINITY;
    const due = await this.counts();
    let peopleErased = 0;
    let locationsErased = 0;
    if (!dryRun) {
      while (budget-- > 0) {
        const n = await this.erasePeopleBatch(personDays, batch);
        peopleErased += n;
        if (n === 0) break;
      }
      while (budget-- > 0) {
        const n = await this.eraseLocationsBatch(locationDays, batch);
        locationsErased += n;
        if (n === 0) break;
      }
    }
    const result = { dryRun, ...due, peopleErased, locationsErased };
    await writeAudit(this.deps.dataSource.manager, null, { action: "RETENTION_RUN", entityType: "Retention", detail: { ...result, personDays, locationDays } });
    return result;
  }

  /** Returns how many people it erased (0: nothing more is due, or another run took them). */
  private async erasePeopleBatch(personDays: number, batch: number): Promise<number> {
    const c = this.cutoffs();
    return auditedTransaction(this.deps.dataSource, null, async (m, trail) => {
      const due: Array<{ id: string }> = await m.query(`${PEOPLE_DUE} LIMIT ${batch}`, [c.person, ACTIVE_STATUSES]);
      if (due.length === 0) return 0;
      const ids = due.map((d) => d.id);
      const erased: Array<{ id: string }> = await m
        .query(
          `UPDATE person SET ${PERSON_IDENTIFYING_COLUMNS.map((col) => `"${col}" = NULL`).join(", ")}, "erasedAt" = $2
            WHERE id = ANY($1::uuid[]) AND "erasedAt" IS NULL RETURNING id`,
          [ids, c.now],
        ).then((r: unknown) => returnedRows<{ id: string }>(r));
      const erasedIds = erased.map((e) => e.id);
      if (erasedIds.length === 0) return 0;
      const locations: Array<{ id: string; personId: string }> = await m
        .query(
          `UPDATE incident SET ${LOCATION_COLUMNS.map((col) => `"${col}" = NULL`).join(", ")}, "locationErasedAt" = $2
            WHERE "personId" = ANY($1::uuid[]) AND "locationErasedAt" IS NULL AND (lat IS NOT NULL OR h3r9 IS NOT NULL) RETURNING id, "personId"`,
          [erasedIds, c.now],
        ).then((r: unknown) => returnedRows<{ id: string; personId: string }>(r));
      await m.query(
        `UPDATE handover h SET "patientCondition" = NULL, circumstances = NULL FROM incident i WHERE i.id = h."incidentId" AND i."personId" = ANY($1::uuid[])`,
        [erasedIds],
      );
      await m.query(`UPDATE referral_event e SET note = NULL FROM referral r WHERE r.id = e."referralId" AND r."personId" = ANY($1::uuid[])`, [erasedIds]);
      await m.query(`UPDATE consent SET "withdrawalReason" = NULL WHERE "personId" = ANY($1::uuid[])`, [erasedIds]);
      for (const id of erasedIds) {
        trail.add({
          action: "RETENTION_ERASED",
          entityType: "Person",
          entityId: id,
          personId: id,
          fields: [...PERSON_IDENTIFYING_COLUMNS, "freeText"],
          detail: { kind: RetentionKind.PERSON_IDENTITY, periodDays: personDays },
        });
      }
      for (const l of locations) {
        trail.add({ action: "RETENTION_ERASED", entityType: "Incident", entityId: l.id, personId: l.personId, fields: ["location"], detail: { kind: RetentionKind.INCIDENT_LOCATION, withPerson: true } });
      }
      return erasedIds.length;
    });
  }

  private async eraseLocationsBatch(locationDays: number, batch: number): Promise<number> {
    const c = this.cutoffs();
    return auditedTransaction(this.deps.dataSource, null, async (m, trail) => {
      const due: Array<{ id: string }> = await m.query(`${LOCATIONS_DUE} LIMIT ${batch}`, [c.location, ACTIVE_STATUSES]);
      if (due.length === 0) return 0;
      const erased: Array<{ id: string; personId: string }> = await m
        .query(
          `UPDATE incident SET ${LOCATION_COLUMNS.map((col) => `"${col}" = NULL`).join(", ")}, "locationErasedAt" = $2
            WHERE id = ANY($1::uuid[]) AND "locationErasedAt" IS NULL RETURNING id, "personId"`,
          [due.map((d) => d.id), c.now],
        ).then((r: unknown) => returnedRows<{ id: string; personId: string }>(r));
      for (const l of erased) {
        trail.add({ action: "RETENTION_ERASED", entityType: "Incident", entityId: l.id, personId: l.personId, fields: ["location"], detail: { kind: RetentionKind.INCIDENT_LOCATION, periodDays: locationDays } });
      }
      return erased.length;
    });
  }

  async report(): Promise<RetentionReport> {
    const c = this.cutoffs();
    const { personDays, locationDays, dryRun } = this.deps.config.retention;
    const ds = this.deps.dataSource;
    const [counts, people, locations, done, [{ n: erasedTotal }], [last]] = await Promise.all([
      this.counts(),
      ds.query(`${PEOPLE_DUE} LIMIT ${LIST}`, [c.person, ACTIVE_STATUSES]) as Promise<Array<{ id: string; last: Date }>>,
      ds.query(`${LOCATIONS_DUE} LIMIT ${LIST}`, [c.location, ACTIVE_STATUSES]) as Promise<Array<{ id: string; last: Date }>>,
      ds.query(`SELECT id::text AS id, at, "entityId", fields, detail->>'kind' AS kind FROM audit_event WHERE action = 'RETENTION_ERASED' ORDER BY at DESC, id DESC LIMIT ${LIST}`) as Promise<
        Array<{ id: string; at: Date; entityId: string; fields: string[]; kind: RetentionKind }>
      >,
      ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'RETENTION_ERASED'`),
      ds.query(`SELECT at FROM audit_event WHERE action = 'RETENTION_RUN' ORDER BY at DESC, id DESC LIMIT 1`),
    ]);
    const due: RetentionDue[] = [
      ...people.map((p) => ({ kind: RetentionKind.PERSON_IDENTITY, id: p.id, dueSince: dueAt(p.last, personDays) })),
      ...locations.map((l) => ({ kind: RetentionKind.INCIDENT_LOCATION, id: l.id, dueSince: dueAt(l.last, locationDays) })),
    ]
      .sort((a, b) => a.dueSince.getTime() - b.dueSince.getTime())
      .slice(0, LIST);
    return {
      settings: { personDays, locationDays, dryRun },
      ...counts,
      due,
      erasedTotal,
      done: done.map((d) => ({ kind: d.kind, id: d.entityId, at: d.at, fields: d.fields, auditEventId: d.id })),
      lastRunAt: last?.at ?? null,
    };
  }
}
