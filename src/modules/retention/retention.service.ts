import { auditedTransaction, writeAudit } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import type { RecurringJob } from "../../core/jobs.js";
import { returnedRows } from "../../core/sql.js";
import { ACTIVE_STATUSES } from "../referrals/referral.state.js";
import { cutoff, dueAt, FREE_TEXT, LOCATION_COLUMNS, PERSON_IDENTIFYING_COLUMNS } from "./retention.policy.js";
import { RetentionKind, type RetentionDue, type RetentionReport } from "./retention.types.js";

/** People erased per transaction: a crash loses at most one batch's work, which the next run redoes. */
const BATCH = 200;
const LIST = 100;

// A person's last activity: the latest of their records' own times. Work still in flight (an
// active referral, an open review) holds the identity whatever the dates. `scope` narrows the
// people looked at (a keyset page, or the ids a batch has locked); $1 cutoff, $2 active statuses.
function peopleDue(scope: string, order: string): string {
  return `
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
     WHERE p."erasedAt" IS NULL ${scope}
       AND (${PERSON_IDENTIFYING_COLUMNS.map((c) => `p."${c}" IS NOT NULL`).join(" OR ")})
  )
  SELECT c.id, c.last FROM candidate c
   WHERE c.last < $1
     AND NOT EXISTS (SELECT 1 FROM referral r WHERE r."personId" = c.id AND r.status::text = ANY($2::text[]))
     AND NOT EXISTS (SELECT 1 FROM review v WHERE v."personId" = c.id AND v.status = 'OPEN')
   ORDER BY ${order}`;
}

const PEOPLE_DUE = peopleDue("", "c.last, c.id");

/** $1 cutoff, $2 active statuses; `scope` as for people. */
function locationsDue(scope: string, order: string): string {
  return `
  SELECT i.id, i."personId", i."occurredAt" AS last FROM incident i
   WHERE i."locationErasedAt" IS NULL ${scope}
     AND (${LOCATION_COLUMNS.map((c) => `i."${c}" IS NOT NULL`).join(" OR ")})
     AND i."occurredAt" < $1
     AND NOT EXISTS (SELECT 1 FROM referral r WHERE r."incidentId" = i.id AND r.status::text = ANY($2::text[]))
   ORDER BY ${order}`;
}

const LOCATIONS_DUE = locationsDue("", `i."occurredAt", i.id`);

type FreeText = (typeof FREE_TEXT)[number];

/** $1 cutoff, $2 active statuses; `scope` as for people. */
function freeTextDue(k: FreeText, scope: string): string {
  return `
  SELECT t.id, t.${k.at} AS last, ${k.personOf} AS "personId" FROM ${k.table} t
   WHERE t.${k.at} < $1 ${scope}
     AND (${k.columns.map((c) => `t."${c}" IS NOT NULL`).join(" OR ")})
     AND NOT (${k.heldBy})
   ORDER BY t.${k.at}, t.id`;
}

export interface RetentionRun {
  dryRun: boolean;
  peopleDue: number;
  locationsDue: number;
  freeTextDue: number;
  peopleErased: number;
  locationsErased: number;
  freeTextErased: number;
}

/** The daily job (pg-boss; 03:17 UTC), registered by index.ts. */
export function retentionJob(deps: ServiceDeps): RecurringJob {
  return { name: "retention", cron: "17 3 * * *", run: () => new RetentionService(deps).run() };
}

export class RetentionService {
  constructor(private readonly deps: ServiceDeps) {}

  private cutoffs() {
    const now = this.deps.clock.now();
    const { personDays, locationDays, freeTextDays } = this.deps.config.retention;
    return { now, person: cutoff(now, personDays), location: cutoff(now, locationDays), freeText: cutoff(now, freeTextDays) };
  }

  private async counts(): Promise<{ peopleDue: number; locationsDue: number; freeTextDue: number }> {
    const c = this.cutoffs();
    const ds = this.deps.dataSource;
    const [[p], [l], ...texts] = await Promise.all([
      ds.query(`SELECT count(*)::int AS n FROM (${PEOPLE_DUE}) x`, [c.person, ACTIVE_STATUSES]),
      ds.query(`SELECT count(*)::int AS n FROM (${LOCATIONS_DUE}) x`, [c.location, ACTIVE_STATUSES]),
      ...FREE_TEXT.map((k) => ds.query(`SELECT count(*)::int AS n FROM (${freeTextDue(k, "")}) x`, [c.freeText, ACTIVE_STATUSES])),
    ]);
    return { peopleDue: p.n, locationsDue: l.n, freeTextDue: texts.reduce((sum: number, [t]: Array<{ n: number }>) => sum + t.n, 0) };
  }

  /**
   * One run of the daily job. Idempotent and restart-safe: each batch erases and audits in one
   * transaction, the UPDATEs only touch rows not yet erased (so a repeated or concurrent run erases
   * and audits nothing twice), and whatever a crash left undone is still due next time.
   */
  async run(opts: { batchSize?: number; maxBatches?: number } = {}): Promise<RetentionRun> {
    const { dryRun, personDays, locationDays, freeTextDays } = this.deps.config.retention;
    const batch = opts.batchSize ?? BATCH;
    let budget = opts.maxBatches ?? Number.POSITIVE_INFINITY;
    const due = await this.counts();
    let peopleErased = 0;
    let locationsErased = 0;
    let freeTextErased = 0;
    if (!dryRun) {
      // One pass over the people in id order (a keyset page per batch), so a large first run does
      // not rescan what it has already passed.
      let after = "00000000-0000-0000-0000-000000000000";
      while (budget-- > 0) {
        const page = await this.erasePeopleBatch(personDays, batch, after);
        peopleErased += page.erased;
        if (!page.last) break;
        after = page.last;
      }
      let at: { t: Date; id: string } = { t: new Date(0), id: "00000000-0000-0000-0000-000000000000" };
      while (budget-- > 0) {
        const page = await this.eraseLocationsBatch(locationDays, batch, at);
        locationsErased += page.erased;
        if (!page.last) break;
        at = page.last;
      }
      for (const kind of FREE_TEXT) {
        let from: { t: Date; id: string } = { t: new Date(0), id: "00000000-0000-0000-0000-000000000000" };
        while (budget-- > 0) {
          const page = await this.eraseFreeTextBatch(kind, freeTextDays, batch, from);
          freeTextErased += page.erased;
          if (!page.last) break;
          from = page.last;
        }
      }
    }
    const result = { dryRun, ...due, peopleErased, locationsErased, freeTextErased };
    await writeAudit(this.deps.dataSource.manager, null, { action: "RETENTION_RUN", entityType: "Retention", detail: { ...result, personDays, locationDays, freeTextDays } });
    return result;
  }

  /**
   * The next page of due people after `after` (by id): locks their rows, checks again that each
   * is still due (a record may have arrived since; a recording upserts the person row, so it
   * waits for this lock or is seen by the check), erases and audits them in one transaction.
   * Returns how many it erased and the last id looked at (null: nothing further is due).
   */
  private async erasePeopleBatch(personDays: number, batch: number, after: string): Promise<{ erased: number; last: string | null }> {
    const c = this.cutoffs();
    return auditedTransaction(this.deps.dataSource, null, async (m, trail) => {
      const page: Array<{ id: string }> = await m.query(`${peopleDue(`AND p.id > $3`, "c.id")} LIMIT ${batch}`, [c.person, ACTIVE_STATUSES, after]);
      if (page.length === 0) return { erased: 0, last: null };
      const ids = page.map((d) => d.id);
      await m.query(`SELECT id FROM person WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
      const still: Array<{ id: string }> = await m.query(peopleDue(`AND p.id = ANY($3::uuid[])`, "c.id"), [c.person, ACTIVE_STATUSES, ids]);
      const last = ids[ids.length - 1];
      if (still.length === 0) return { erased: 0, last };
      const erasedIds = returnedRows<{ id: string }>(
        await m.query(
          `UPDATE person SET ${PERSON_IDENTIFYING_COLUMNS.map((col) => `"${col}" = NULL`).join(", ")}, "erasedAt" = $2
            WHERE id = ANY($1::uuid[]) AND "erasedAt" IS NULL RETURNING id`,
          [still.map((d) => d.id), c.now],
        ),
      ).map((e) => e.id);
      if (erasedIds.length === 0) return { erased: 0, last };
      const locations = returnedRows<{ id: string; personId: string }>(
        await m.query(
          `UPDATE incident SET ${LOCATION_COLUMNS.map((col) => `"${col}" = NULL`).join(", ")}, "locationErasedAt" = $2
            WHERE "personId" = ANY($1::uuid[]) AND "locationErasedAt" IS NULL AND (${LOCATION_COLUMNS.map((col) => `"${col}" IS NOT NULL`).join(" OR ")}) RETURNING id, "personId"`,
          [erasedIds, c.now],
        ),
      );
      await m.query(
        `UPDATE handover h SET "patientCondition" = NULL, circumstances = NULL FROM incident i
          WHERE i.id = h."incidentId" AND i."personId" = ANY($1::uuid[]) AND (h."patientCondition" IS NOT NULL OR h.circumstances IS NOT NULL)`,
        [erasedIds],
      );
      await m.query(`UPDATE referral_event e SET note = NULL FROM referral r WHERE r.id = e."referralId" AND r."personId" = ANY($1::uuid[]) AND e.note IS NOT NULL`, [erasedIds]);
      await m.query(`UPDATE consent SET "withdrawalReason" = NULL WHERE "personId" = ANY($1::uuid[]) AND "withdrawalReason" IS NOT NULL`, [erasedIds]);
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
      return { erased: erasedIds.length, last };
    });
  }

  /** The next page of due locations after `at` (by time, then id); the UPDATE re-checks the rule. */
  private async eraseLocationsBatch(locationDays: number, batch: number, at: { t: Date; id: string }): Promise<{ erased: number; last: { t: Date; id: string } | null }> {
    const c = this.cutoffs();
    return auditedTransaction(this.deps.dataSource, null, async (m, trail) => {
      const page: Array<{ id: string; last: Date }> = await m.query(`${locationsDue(`AND (i."occurredAt", i.id) > ($3, $4::uuid)`, `i."occurredAt", i.id`)} LIMIT ${batch}`, [
        c.location,
        ACTIVE_STATUSES,
        at.t,
        at.id,
      ]);
      if (page.length === 0) return { erased: 0, last: null };
      const erased = returnedRows<{ id: string; personId: string }>(
        await m.query(
          `UPDATE incident i SET ${LOCATION_COLUMNS.map((col) => `"${col}" = NULL`).join(", ")}, "locationErasedAt" = $3
            WHERE i.id = ANY($4::uuid[]) AND i."locationErasedAt" IS NULL AND i."occurredAt" < $1
              AND NOT EXISTS (SELECT 1 FROM referral r WHERE r."incidentId" = i.id AND r.status::text = ANY($2::text[]))
            RETURNING i.id, i."personId"`,
          [c.location, ACTIVE_STATUSES, c.now, page.map((d) => d.id)],
        ),
      );
      for (const l of erased) {
        trail.add({ action: "RETENTION_ERASED", entityType: "Incident", entityId: l.id, personId: l.personId, fields: ["location"], detail: { kind: RetentionKind.INCIDENT_LOCATION, periodDays: locationDays } });
      }
      const tail = page[page.length - 1];
      return { erased: erased.length, last: { t: tail.last, id: tail.id } };
    });
  }

  /** The next page of one kind's free text past its period; the UPDATE re-checks the rule. */
  private async eraseFreeTextBatch(k: FreeText, days: number, batch: number, from: { t: Date; id: string }): Promise<{ erased: number; last: { t: Date; id: string } | null }> {
    const c = this.cutoffs();
    return auditedTransaction(this.deps.dataSource, null, async (m, trail) => {
      const page: Array<{ id: string; last: Date }> = await m.query(`${freeTextDue(k, `AND (t.${k.at}, t.id) > ($3, $4::uuid)`)} LIMIT ${batch}`, [c.freeText, ACTIVE_STATUSES, from.t, from.id]);
      if (page.length === 0) return { erased: 0, last: null };
      const erased = returnedRows<{ id: string; personId: string | null }>(
        await m.query(
          `UPDATE ${k.table} t SET ${k.columns.map((col) => `"${col}" = NULL`).join(", ")}
            WHERE t.id = ANY($3::uuid[]) AND t.${k.at} < $1 AND (${k.columns.map((col) => `t."${col}" IS NOT NULL`).join(" OR ")}) AND NOT (${k.heldBy})
            RETURNING t.id, ${k.personOf} AS "personId"`,
          [c.freeText, ACTIVE_STATUSES, page.map((d) => d.id)],
        ),
      );
      for (const e of erased) {
        trail.add({ action: "RETENTION_ERASED", entityType: k.entityType, entityId: e.id, personId: e.personId, fields: [...k.columns], detail: { kind: RetentionKind.FREE_TEXT, text: k.kind, periodDays: days } });
      }
      const tail = page[page.length - 1];
      return { erased: erased.length, last: { t: tail.last, id: tail.id } };
    });
  }

  async report(): Promise<RetentionReport> {
    const c = this.cutoffs();
    const { personDays, locationDays, freeTextDays, dryRun } = this.deps.config.retention;
    const ds = this.deps.dataSource;
    const texts = (await Promise.all(FREE_TEXT.map((k) => ds.query(`${freeTextDue(k, "")} LIMIT ${LIST}`, [c.freeText, ACTIVE_STATUSES]) as Promise<Array<{ id: string; last: Date }>>))).flat();
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
      ...texts.map((t) => ({ kind: RetentionKind.FREE_TEXT, id: t.id, dueSince: dueAt(t.last, freeTextDays) })),
    ]
      .sort((a, b) => a.dueSince.getTime() - b.dueSince.getTime())
      .slice(0, LIST);
    return {
      settings: { personDays, locationDays, freeTextDays, dryRun },
      ...counts,
      due,
      erasedTotal,
      done: done.map((d) => ({ kind: d.kind, id: d.entityId, at: d.at, fields: d.fields, auditEventId: d.id })),
      lastRunAt: last?.at ?? null,
    };
  }
}
