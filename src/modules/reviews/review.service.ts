import type { EntityManager } from "typeorm";
import { weekStartOf } from "../aggregates/period.policy.js";
import type { Actor } from "../../core/auth/actor.js";
import { Role } from "../../core/auth/roles.js";
import { auditedTransaction, writeAudit } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { badInput, consentRequired, invalidTransition, notFound } from "../../core/errors.js";
import { isUuid } from "../../core/ids.js";
import { decodeCursor, pageSize, toConnection } from "../../core/pagination.js";
import { Topic } from "../../core/pubsub.js";
import { returnedRows } from "../../core/sql.js";
import { consentCovering, type RecipientAgency } from "../consent/access.policy.js";
import { loadPersonFacts } from "../consent/access.service.js";
import { Purpose } from "../consent/purpose.js";
import { parseDate } from "../incidents/incident.policy.js";
import { identityKey } from "../people/person.policy.js";
import { createReferral } from "../referrals/referral.create.js";
import { dueAfter } from "../referrals/referral.state.js";
import { Pathway } from "../routes/route.entity.js";
import { slaHoursFor } from "../routes/route.service.js";
import { announce, type Routed } from "../referrals/routing.service.js";
import { Review, ReviewStatus } from "./review.entity.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import type { CaseloadEntryInput, CaseloadRegistration, CompleteReviewInput, ReviewConnection, ReviewFilter } from "./review.types.js";

export const MAX_CASELOAD = 20_000;
const REMIND_BEFORE_HOURS = 12;

/** Monday (UTC) of the week containing a moment, as YYYY-MM-DD: coarse enough to share. */
export function weekStarting(at: Date): string {
  return weekStartOf(at).toISOString().slice(0, 10);
}

export class ReviewService {
  constructor(private readonly deps: ServiceDeps) {}

  async queue(actor: Actor, filter: ReviewFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<ReviewConnection> {
    const size = pageSize(first, this.deps.config.pageSize);
    const cursor = decodeCursor(after);
    const now = this.deps.clock.now();
    const qb = scoped(this.deps.dataSource.getRepository(Review).createQueryBuilder("v").where("TRUE"), reach.review, viewerOf(actor), "v");
    if (filter?.status) qb.andWhere("v.status = :status", { status: filter.status });
    if (filter?.areaCode) qb.andWhere(`EXISTS (SELECT 1 FROM incident i WHERE i.id = v."incidentId" AND i."areaCode" = :area)`, { area: filter.areaCode });
    if (filter?.overdue != null) qb.andWhere(filter.overdue ? `(v.status = 'OPEN' AND v."dueAt" < :now)` : `NOT (v.status = 'OPEN' AND v."dueAt" < :now)`, { now });
    if (cursor) qb.andWhere(`(v."dueAt", v.id) > (:ct, :cid)`, { ct: cursor.t, cid: cursor.id });
    const rows = await qb.orderBy(`v."dueAt"`, "ASC").addOrderBy("v.id", "ASC").limit(size + 1).getMany();
    return toConnection(rows, size, (node) => ({ t: node.dueAt.toISOString(), id: node.id })) as ReviewConnection;
  }

  /**
   * The first harm-reduction lead and the first case co-ordinator who act on a review become its
   * reviewer and co-ordinator (inside the caller's transaction); assignReview sets them explicitly.
   */
  private async claim(m: EntityManager, actor: Actor, reviewId: string): Promise<void> {
    if (actor.roles.includes(Role.HARM_REDUCTION_LEAD)) await m.query(`UPDATE review SET "reviewerSub" = COALESCE("reviewerSub", $2) WHERE id = $1`, [reviewId, actor.sub]);
    if (actor.roles.includes(Role.CASE_COORDINATOR)) await m.query(`UPDATE review SET "caseCoordinatorSub" = COALESCE("caseCoordinatorSub", $2) WHERE id = $1`, [reviewId, actor.sub]);
  }

  async assign(actor: Actor, id: string, input: { reviewerSub?: string | null; caseCoordinatorSub?: string | null }): Promise<Review> {
    const review = await this.get(actor, id);
    if (review.status !== ReviewStatus.OPEN) throw invalidTransition("a completed review cannot be reassigned");
    const problems = (["reviewerSub", "caseCoordinatorSub"] as const)
      .filter((k) => input[k] != null && !/^[A-Za-z0-9._@:-]{1,128}$/.test(input[k] as string))
      .map((k) => ({ field: k, rule: "must be a user id of 1-128 letters, digits or . _ @ : -" }));
    if (problems.length > 0) throw badInput(problems);
    return auditedTransaction(this.deps.dataSource, actor, async (m, trail) => {
      await m.query(`UPDATE review SET "reviewerSub" = COALESCE($2, "reviewerSub"), "caseCoordinatorSub" = COALESCE($3, "caseCoordinatorSub") WHERE id = $1`, [
        id,
        input.reviewerSub ?? null,
        input.caseCoordinatorSub ?? null,
      ]);
      trail.add({ action: "REVIEW_ASSIGNED", entityType: "Review", entityId: id, personId: review.personId });
      return m.getRepository(Review).findOneByOrFail({ id });
    });
  }

  async get(actor: Actor, id: string): Promise<Review> {
    if (!isUuid(id)) throw notFound("Review");
    const r = await this.deps.dataSource.getRepository(Review).findOneBy({ id });
    if (!r || !reach.review.check(viewerOf(actor), r)) throw notFound("Review");
    return r;
  }

  /** Replaces the agency's whole caseload with keyed hashes of the entries; names are not kept. */
  async registerCaseload(actor: Actor, entries: CaseloadEntryInput[]): Promise<CaseloadRegistration> {
    if (entries.length > MAX_CASELOAD) throw badInput([{ field: "entries", rule: `at most ${MAX_CASELOAD} entries per registration` }]);
    const keys = new Set<string>();
    entries.forEach((e, i) => {
      if (!parseDate(e.dateOfBirth)) throw badInput([{ field: `entries.${i}.dateOfBirth`, rule: "must be a real calendar date" }]);
      const key = identityKey(this.deps.config.identityKeySecret, e);
      if (!key) throw badInput([{ field: `entries.${i}`, rule: "needs both names and a date of birth" }]);
      keys.add(key);
    });
    const now = this.deps.clock.now();
    await this.deps.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM caseload_entry WHERE "agencyId" = $1`, [actor.agency.id]);
      if (keys.size > 0) {
        await m.query(`INSERT INTO caseload_entry ("agencyId", "identityKey", "registeredAt") SELECT $1, k, $3 FROM unnest($2::text[]) AS k`, [actor.agency.id, [...keys], now]);
      }
      await writeAudit(m, actor, { action: "CASELOAD_REGISTERED", entityType: "Agency", entityId: actor.agency.id, detail: { entries: keys.size } });
    });
    return { entries: keys.size, registeredAt: now };
  }

  /** Which agencies' caseloads hold the person's identity key: identity keys only, names never compared. */
  async screen(actor: Actor, reviewId: string): Promise<Review> {
    const review = await this.get(actor, reviewId);
    const ds = this.deps.dataSource;
    const [{ identityKey: key }] = await ds.query(`SELECT "identityKey" FROM person WHERE id = $1`, [review.personId]);
    const agencies: Array<{ agencyId: string }> = key
      ? await ds.query(`SELECT DISTINCT "agencyId" FROM caseload_entry WHERE "identityKey" = $1 ORDER BY "agencyId"`, [key])
      : [];
    const screening = { checkedAt: this.deps.clock.now().toISOString(), identifiable: !!key, agencyIds: agencies.map((a) => a.agencyId) };
    return auditedTransaction(ds, actor, async (m, trail) => {
      await m.query(`UPDATE review SET screening = $2 WHERE id = $1`, [review.id, JSON.stringify(screening)]);
      await this.claim(m, actor, review.id);
      trail.add({ action: "SCREENING_RUN", entityType: "Review", entityId: review.id, personId: review.personId, detail: { matches: screening.agencyIds.length } });
      return m.getRepository(Review).findOneByOrFail({ id: review.id });
    });
  }

  /**
   * Completes a review: records the actions, notifies chosen treatment services by referral (each
   * needs a consent covering it, or nothing is written: CONSENT_REQUIRED), and can share a
   * de-identified summary with the area's taskforce.
   */
  async complete(actor: Actor, id: string, input: CompleteReviewInput): Promise<Review> {
    const review = await this.get(actor, id);
    if (review.status !== ReviewStatus.OPEN) throw invalidTransition("this review is already completed");
    const ds = this.deps.dataSource;
    const now = this.deps.clock.now();
    const [incident] = await ds.query(`SELECT id, "areaCode", "occurredAt", outcome, substances::text[] AS substances FROM incident WHERE id = $1`, [review.incidentId]);
    const codes = [...new Set(input.notifyAgencyCodes ?? [])];
    const targets: RecipientAgency[] = codes.length
      ? await ds.query(`SELECT id, code, kind, "areaCodes" FROM agency WHERE code = ANY($1::text[]) AND active`, [codes])
      : [];
    const unknown = codes.filter((c) => !targets.some((t) => t.code === c && t.kind === "TREATMENT_SERVICE"));
    if (unknown.length > 0) throw badInput([{ field: "input.notifyAgencyCodes", rule: `not active treatment services: ${unknown.join(", ")}` }]);
    const facts = await loadPersonFacts(ds, review.personId);
    const consents = targets.map((t) => {
      const consentId = consentCovering(t, facts, Purpose.TREATMENT_REFERRAL, now);
      if (!consentId) throw consentRequired(`notifyAgencyCodes: no active consent to treatment referral covers ${t.code}`);
      return { target: t, consentId };
    });
    const sla = consents.length > 0 ? await slaHoursFor(ds, review.incidentId, Pathway.DIRECT_TREATMENT) : 0;
    let taskforce: { id: string } | undefined;
    if (input.shareWithTaskforce) {
      [taskforce] = await ds.query(`SELECT id FROM agency WHERE kind = 'TASKFORCE' AND active AND $1 = ANY("areaCodes") ORDER BY code LIMIT 1`, [incident.areaCode]);
      if (!taskforce) throw badInput([{ field: "input.shareWithTaskforce", rule: "no taskforce serves this area" }]);
    }
    const routed: Routed = { referrals: [], reviews: [] };
    const done = await auditedTransaction(ds, actor, async (m, trail) => {
      const locked = await m.query(`SELECT status FROM review WHERE id = $1 FOR UPDATE`, [id]);
      if (locked[0].status !== ReviewStatus.OPEN) throw invalidTransition("this review is already completed");
      for (const { target, consentId } of consents) {
        const referralId = await createReferral(
          m,
          trail,
          { pathway: Pathway.DIRECT_TREATMENT, incidentId: review.incidentId, personId: review.personId, fromAgencyId: actor.agency.id, toAgencyId: target.id, consentId, dueAt: dueAfter(now, sla), createdAt: now },
          { sub: actor.sub, agencyId: actor.agency.id, note: "72-hour review notification" },
          { reviewId: id, consentId },
        );
        if (referralId) routed.referrals.push({ id: referralId, toAgencyId: target.id }); // null: already referred there
      }
      if (taskforce) {
        await m.query(
          `INSERT INTO taskforce_summary ("taskforceAgencyId", "areaCode", "weekStarting", outcome, substances, "knownToServices", "servicesNotified", "actionsAgreed", "completedWithinDeadline", "reviewId")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [taskforce.id, incident.areaCode, weekStarting(incident.occurredAt), incident.outcome, incident.substances, (review.screening?.agencyIds.length ?? 0) > 0, consents.length, input.actions.length, now <= review.dueAt, id],
        );
      }
      await m.query(
        `UPDATE review SET status = 'COMPLETED', actions = $2, "notifiedAgencyIds" = $3, "sharedWithTaskforce" = $4, "completedBySub" = $5, "completedAt" = $6 WHERE id = $1`,
        [id, input.actions, consents.map((c) => c.target.id), !!taskforce, actor.sub, now],
      );
      await this.claim(m, actor, id);
      trail.add({
        action: "REVIEW_COMPLETED",
        entityType: "Review",
        entityId: id,
        personId: review.personId,
        detail: { notified: consents.map((c) => c.target.code), sharedWithTaskforce: !!taskforce, withinDeadline: now <= review.dueAt },
      });
      return m.getRepository(Review).findOneByOrFail({ id });
    });
    announce(this.deps, routed);
    return done;
  }

  /**
   * Deadline reminders: 12 hours before a review is due, and when it falls due. Idempotent
   * (flags on the row), so it may run any number of times and after restarts.
   */
  async sendReminders(): Promise<number> {
    const now = this.deps.clock.now();
    const soon = returnedRows<{ id: string; agencyId: string }>(await this.deps.dataSource.query(
      `UPDATE review SET "dueSoonNotified" = true WHERE status = 'OPEN' AND NOT "dueSoonNotified" AND "dueAt" - make_interval(hours => $2) <= $1 RETURNING id, "agencyId"`,
      [now, REMIND_BEFORE_HOURS],
    ));
    const due = returnedRows<{ id: string; agencyId: string }>(await this.deps.dataSource.query(
      `UPDATE review SET "dueNowNotified" = true WHERE status = 'OPEN' AND NOT "dueNowNotified" AND "dueAt" <= $1 RETURNING id, "agencyId"`,
      [now],
    ));
    for (const r of soon) this.deps.pubsub.publish(Topic.REVIEW_DUE, { reviewId: r.id, agencyId: r.agencyId, stage: "DUE_SOON" });
    for (const r of due) this.deps.pubsub.publish(Topic.REVIEW_DUE, { reviewId: r.id, agencyId: r.agencyId, stage: "DUE_NOW" });
    return soon.length + due.length;
  }
}
