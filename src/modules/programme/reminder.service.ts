import type { ServiceDeps } from "../../core/context.js";
import { Topic } from "../../core/pubsub.js";
import { returnedRows } from "../../core/sql.js";
import { ReminderKind } from "./programme.enums.js";

/**
 * Announces kits about to expire (per batch still in circulation) and refreshers falling due (per
 * officer), through the job queue. Each is sent once: the UPDATE that marks it sent is what selects
 * it, so a rerun, a restart or a second hub instance finds nothing left to send. A new training moves
 * an officer's due date, and the next due date gets its own reminder.
 */
export class ProgrammeReminderService {
  constructor(private readonly deps: ServiceDeps) {}

  async sendReminders(): Promise<number> {
    const now = this.deps.clock.now();
    const today = now.toISOString().slice(0, 10);
    const { kitExpiryNoticeDays, refresherNoticeDays, refresherMonths } = this.deps.config.programme;
    const kits = returnedRows<{ id: string; agencyId: string; dueOn: string }>(
      await this.deps.dataSource.query(
        `UPDATE kit_batch b SET "expiryNoticeSentAt" = $1
          WHERE b."expiryNoticeSentAt" IS NULL AND b."expiresOn" <= $2::date + $3::int
            AND (SELECT coalesce(sum(l.delta), 0) FROM stock_ledger l WHERE l."batchId" = b.id) > 0
          RETURNING b.id, b."agencyId", to_char(b."expiresOn", 'YYYY-MM-DD') AS "dueOn"`,
        [now, today, kitExpiryNoticeDays],
      ),
    );
    const refreshers = returnedRows<{ id: string; agencyId: string; dueOn: string }>(
      await this.deps.dataSource.query(
        `UPDATE officer o SET "refresherNoticeFor" = d.due
           FROM (SELECT t."officerId", (max(t."trainedOn") + make_interval(months => $3))::date AS due FROM training_record t GROUP BY t."officerId") d
          WHERE d."officerId" = o.id AND d.due <= $1::date + $2::int AND o."refresherNoticeFor" IS DISTINCT FROM d.due
          RETURNING o.id, o."agencyId", to_char(d.due, 'YYYY-MM-DD') AS "dueOn"`,
        [today, refresherNoticeDays, refresherMonths],
      ),
    );
    for (const k of kits) this.deps.pubsub.publish(Topic.PROGRAMME_REMINDER, { kind: ReminderKind.KIT_EXPIRY, agencyId: k.agencyId, subjectId: k.id, dueOn: k.dueOn });
    for (const r of refreshers) this.deps.pubsub.publish(Topic.PROGRAMME_REMINDER, { kind: ReminderKind.REFRESHER_DUE, agencyId: r.agencyId, subjectId: r.id, dueOn: r.dueOn });
    return kits.length + refreshers.length;
  }
}
