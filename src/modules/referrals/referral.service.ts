import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import { auditedTransaction, type AuditTrail } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, conflict, consentRequired, invalidTransition, notFound } from "../../core/errors.js";
import { isUuid } from "../../core/ids.js";
import { decodeCursor, pageSize, toConnection } from "../../core/pagination.js";
import { Topic } from "../../core/pubsub.js";
import { consentCovering } from "../consent/access.policy.js";
import { loadPersonFacts } from "../consent/access.service.js";
import { Pathway } from "../routes/route.entity.js";
import { slaHoursFor } from "../routes/route.service.js";
import { createReferral } from "./referral.create.js";
import { Purpose } from "../consent/purpose.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import { plainMany } from "../../core/plain-rows.js";
import { Referral, ReferralStatus } from "./referral.entity.js";
import { AWAITING_CONTACT, dueAfter, EVENT_OF, nextStatus, type ReferralAction } from "./referral.state.js";
import { ContactOutcome, ReferralSort, type ContactAttemptInput, type ReferralConnection, type ReferralFilter, type ReferralOutcome } from "./referral.types.js";

/** Each inbox order: its column (fixed names, never from input), the cursor key, the direction. */
const SORTS: Readonly<Record<ReferralSort, { column: "dueAt" | "createdAt"; key: (r: Referral) => Date; desc: boolean }>> = {
  [ReferralSort.DUE_AT_ASC]: { column: "dueAt", key: (r) => r.dueAt, desc: false },
  [ReferralSort.DUE_AT_DESC]: { column: "dueAt", key: (r) => r.dueAt, desc: true },
  [ReferralSort.CREATED_AT_ASC]: { column: "createdAt", key: (r) => r.createdAt, desc: false },
  [ReferralSort.CREATED_AT_DESC]: { column: "createdAt", key: (r) => r.createdAt, desc: true },
};


export class ReferralService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The calling agency's inbox, soonest due first unless sorted otherwise; overdue is decided in SQL against the clock. */
  async inbox(
    actor: Actor,
    filter: ReferralFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    sort: ReferralSort | null | undefined = ReferralSort.DUE_AT_ASC,
  ): Promise<ReferralConnection> {
    const size = pageSize(first, this.deps.config.pageSize);
    const cursor = decodeCursor(after);
    const now = this.deps.clock.now();
    const qb = scoped(this.deps.dataSource.getRepository(Referral).createQueryBuilder("r").where("TRUE"), reach.referralToAct, viewerOf(actor), "r");
    if (filter?.status) qb.andWhere("r.status = :status", { status: filter.status });
    if (filter?.statuses?.length) qb.andWhere("r.status = ANY(:statuses)", { statuses: filter.statuses });
    if (filter?.pathway) qb.andWhere("r.pathway = :pathway", { pathway: filter.pathway });
    if (filter?.areaCode) qb.andWhere(`EXISTS (SELECT 1 FROM incident i WHERE i.id = r."incidentId" AND i."areaCode" = :area)`, { area: filter.areaCode });
    if (filter?.createdFrom) qb.andWhere(`r."createdAt" >= :createdFrom`, { createdFrom: filter.createdFrom });
    if (filter?.createdTo) qb.andWhere(`r."createdAt" < :createdTo`, { createdTo: filter.createdTo });
    if (filter?.dueFrom) qb.andWhere(`r."dueAt" >= :dueFrom`, { dueFrom: filter.dueFrom });
    if (filter?.dueTo) qb.andWhere(`r."dueAt" < :dueTo`, { dueTo: filter.dueTo });
    if (filter?.overdue != null) {
      const overdueSql = `(r."dueAt" < :now AND r.status = ANY(:awaiting))`;
      qb.andWhere(filter.overdue ? overdueSql : `NOT ${overdueSql}`, { now, awaiting: AWAITING_CONTACT });
    }
    const totalCount = await qb.clone().getCount();
    const { column, key, desc } = SORTS[sort ?? ReferralSort.DUE_AT_ASC];
    if (cursor) qb.andWhere(`(r."${column}", r.id) ${desc ? "<" : ">"} (:ct, :cid)`, { ct: cursor.t, cid: cursor.id });
    // The same entities as getMany(), hydrated without the query builder's transformer (src/core/plain-rows.ts).
    const rows = await plainMany(qb.orderBy(`r."${column}"`, desc ? "DESC" : "ASC").addOrderBy("r.id", desc ? "DESC" : "ASC").limit(size + 1));
    return { ...toConnection(rows, size, (node) => ({ t: key(node).toISOString(), id: node.id })), totalCount } as ReferralConnection;
  }

  /** The receiving agency and the agency it came from may read a referral; anyone else: NOT_FOUND. */
  async get(actor: Actor, id: string): Promise<Referral> {
    if (!isUuid(id)) throw notFound("Referral");
    const r = await this.deps.dataSource.getRepository(Referral).findOneBy({ id });
    if (!r || !reach.referral.check(viewerOf(actor), r)) throw notFound("Referral");
    return r;
  }

  /** Moves a referral of the caller's inbox along the state machine, with its event and audit row. */
  private async transition(
    actor: Actor,
    id: string,
    action: ReferralAction,
    opts: { note?: string | null; outcome?: string | null; at?: Date; set?: (m: EntityManager, r: Referral, trail: AuditTrail) => Promise<void> } = {},
  ): Promise<Referral> {
    if (!isUuid(id)) throw notFound("Referral");
    return auditedTransaction(this.deps.dataSource, actor, async (m, trail) => {
      const r = await m.getRepository(Referral).findOne({ where: { id }, lock: { mode: "pessimistic_write" } });
      if (!r || !reach.referralToAct.check(viewerOf(actor), r)) throw notFound("Referral");
      const to = nextStatus(r.status, action);
      if (!to) throw invalidTransition(`${EVENT_OF[action]} is not a valid next step for a referral that is ${r.status}`);
      const at = opts.at ?? this.deps.clock.now();
      const terminal = to === ReferralStatus.CLOSED || to === ReferralStatus.DECLINED;
      await m.query(
        `UPDATE referral SET status = $2, outcome = COALESCE($3, outcome), "closedAt" = CASE WHEN $4 THEN $5::timestamptz ELSE "closedAt" END WHERE id = $1`,
        [id, to, opts.outcome ?? null, terminal, at],
      );
      await opts.set?.(m, r, trail);
      await m.query(
        `INSERT INTO referral_event ("referralId", type, "fromStatus", "toStatus", "actorSub", "agencyId", at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, EVENT_OF[action], r.status, to, actor.sub, actor.agency.id, at, opts.note ?? null],
      );
      trail.add({ action: `REFERRAL_${action}`, entityType: "Referral", entityId: id, personId: r.personId, detail: { from: r.status, to } });
      return m.getRepository(Referral).findOneByOrFail({ id });
    });
  }

  accept(actor: Actor, id: string) {
    return this.transition(actor, id, "ACCEPT");
  }

  decline(actor: Actor, id: string, reason: string) {
    const note = reason.trim();
    if (note.length < 3 || note.length > 1000) throw badInput([{ field: "reason", rule: "must be 3 to 1000 characters" }]);
    return this.transition(actor, id, "DECLINE", { note, outcome: "DECLINED" });
  }

  recordContactAttempt(actor: Actor, id: string, input: ContactAttemptInput) {
    const at = input.at ?? this.deps.clock.now();
    if (at.getTime() > this.deps.clock.now().getTime() + this.deps.config.clockSkewSeconds * 1000) throw badInput([{ field: "input.at", rule: "must not be in the future" }]);
    return this.transition(actor, id, input.outcome === ContactOutcome.ENGAGED ? "ENGAGE" : "CONTACT_ATTEMPT", {
      at,
      note: [`${input.method}: ${input.outcome}`, input.note].filter(Boolean).join(" — "),
      set: (m, r) => (r.firstContactAt ? Promise.resolve() : m.query(`UPDATE referral SET "firstContactAt" = $2 WHERE id = $1`, [r.id, at]).then(() => undefined)),
    });
  }

  close(actor: Actor, id: string, outcome: ReferralOutcome) {
    return this.transition(actor, id, "CLOSE", { outcome });
  }

  /**
   * Signposting: the NFO co-ordinator or MASH passes the person on to a treatment service, only
   * when a consent to treatment referral covers that service. This referral closes as FORWARDED.
   */
  async forward(actor: Actor, id: string, toAgencyCode: string): Promise<Referral> {
    const original = await this.get(actor, id);
    if (!reach.referralToAct.check(viewerOf(actor), original)) throw notFound("Referral");
    const ds = this.deps.dataSource;
    const [target] = await ds.query(`SELECT id, code, kind, "areaCodes" FROM agency WHERE code = $1 AND active`, [toAgencyCode]);
    if (!target) throw badInput([{ field: "toAgencyCode", rule: "must name an active agency" }]);
    if (target.kind !== "TREATMENT_SERVICE") throw badInput([{ field: "toAgencyCode", rule: "referrals are forwarded to a TREATMENT_SERVICE" }]);
    const now = this.deps.clock.now();
    const consentId = consentCovering(target, await loadPersonFacts(ds, original.personId), Purpose.TREATMENT_REFERRAL, now);
    if (!consentId) throw consentRequired(`toAgencyCode: no active consent to treatment referral covers ${target.code}`);
    const sla = await slaHoursFor(ds, original.incidentId, Pathway.DIRECT_TREATMENT);
    let created: string | null = null;
    const closed = await this.transition(actor, id, "FORWARD", {
      outcome: "FORWARDED",
      note: `Forwarded to ${target.code}`,
      set: async (m, _r, trail) => {
        created = await createReferral(
          m,
          trail,
          { pathway: original.pathway, incidentId: original.incidentId, personId: original.personId, fromAgencyId: actor.agency.id, toAgencyId: target.id, consentId, forwardedFromId: original.id, dueAt: dueAfter(now, sla), createdAt: now },
          { sub: actor.sub, agencyId: actor.agency.id, note: `Forwarded by ${actor.agency.code}` },
          { forwardedFrom: original.id, consentId },
        );
        if (!created) throw conflict(`toAgencyCode: this incident was already referred to ${target.code} on this pathway`);
      },
    });
    if (created) this.deps.pubsub.publish(Topic.REFERRAL_RECEIVED, { referralId: created, toAgencyId: target.id });
    return closed;
  }
}
