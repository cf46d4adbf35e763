import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import { auditedTransaction, type AuditTrail } from "../../core/audit/audit.js";
import { badInput, invalidTransition, notFound, type InputProblem } from "../../core/errors.js";
import type { ServiceDeps } from "../../core/context.js";
import { isUuid } from "../../core/ids.js";
import { returnedRows } from "../../core/sql.js";
import { Person } from "../people/person.entity.js";
import { accessActor, loadPersonFacts } from "./access.service.js";
import { decideAccess, hasStanding } from "./access.policy.js";
import { Consent, ConsentDecision } from "./consent.entity.js";
import type { ConsentInput, EmergencyAccessInput, ReviewGrantInput } from "./consent.types.js";
import { AccessGrant } from "./grant.entity.js";
import { withdrawReferralsOf } from "../referrals/referral.withdrawal.js";
import { reach, scoped, viewerOf } from "../../permissions/reach.js";
import { announce, recentIncidentsOf, routeIncidents } from "../referrals/routing.service.js";
import { consentRouting } from "../referrals/referral.summary.js";
import type { ConsentRouting } from "../referrals/referral.types.js";

/** What recording each consent routed: only the recordConsent answer carries it (Consent.routed). */
export const ROUTING = new WeakMap<Consent, ConsentRouting>();

export class ConsentService {
  constructor(private readonly deps: ServiceDeps) {}

  private async facts(personId: string) {
    return loadPersonFacts(this.deps.dataSource, personId);
  }

  /** Checks a consent's rules that need the database (named agencies exist) or the clock. */
  async checkInput(m: EntityManager, input: ConsentInput, prefix = ""): Promise<void> {
    const now = this.deps.clock.now();
    const problems: InputProblem[] = [];
    const codes = input.recipientAgencyCodes ?? [];
    const kinds = input.recipientKinds ?? [];
    if (input.decision === ConsentDecision.GIVEN && codes.length === 0 && kinds.length === 0) {
      problems.push({ field: `${prefix}recipientKinds`, rule: "a consent must name at least one recipient kind or agency" });
    }
    if (codes.length > 0) {
      const found: Array<{ code: string }> = await m.query(`SELECT code FROM agency WHERE code = ANY($1::text[]) AND active`, [codes]);
      const missing = codes.filter((c) => !found.some((f) => f.code === c));
      if (missing.length > 0) problems.push({ field: `${prefix}recipientAgencyCodes`, rule: `unknown or inactive agencies: ${missing.join(", ")}` });
    }
    const obtainedAt = input.obtainedAt ?? now;
    if (obtainedAt.getTime() > now.getTime() + this.deps.config.clockSkewSeconds * 1000) problems.push({ field: `${prefix}obtainedAt`, rule: "must not be in the future" });
    if (input.expiresAt && input.expiresAt.getTime() <= obtainedAt.getTime()) problems.push({ field: `${prefix}expiresAt`, rule: "must be after obtainedAt" });
    if (input.decision === ConsentDecision.REFUSED && input.expiresAt) problems.push({ field: `${prefix}expiresAt`, rule: "a refusal does not expire" });
    if (problems.length > 0) throw badInput(problems);
  }

  /** Stores a consent decision inside the caller's transaction (used on scene by the form, too). */
  async insert(m: EntityManager, trail: AuditTrail, actor: Actor, personId: string, input: ConsentInput, incidentId: string | null): Promise<Consent> {
    const now = this.deps.clock.now();
    const [row] = await m.query(
      `INSERT INTO consent ("personId", "incidentId", decision, purposes, "recipientKinds", "recipientAgencyCodes", method, "obtainedAt", "expiresAt", "recordedByAgencyId", "recordedBySub")
       VALUES ($1, $2, $3, $4::purpose[], $5::agency_kind[], $6, $7, $8, $9, $10, $11) RETURNING id`,
      [personId, incidentId, input.decision, input.purposes, input.recipientKinds ?? [], input.recipientAgencyCodes ?? [], input.method, input.obtainedAt ?? now, input.expiresAt ?? null, actor.agency.id, actor.sub],
    );
    trail.add({
      action: input.decision === ConsentDecision.GIVEN ? "CONSENT_GIVEN" : "CONSENT_REFUSED",
      entityType: "Consent",
      entityId: row.id,
      personId,
      detail: { purposes: input.purposes, recipientKinds: input.recipientKinds ?? [], recipientAgencyCodes: input.recipientAgencyCodes ?? [], method: input.method, incidentId },
    });
    return m.getRepository(Consent).findOneByOrFail({ id: row.id });
  }

  /** Any agency with a basis to see the person may record their decision; others get NOT_FOUND. */
  async record(actor: Actor, personId: string, input: ConsentInput): Promise<Consent> {
    if (!isUuid(personId)) throw notFound("Person");
    const decision = decideAccess(accessActor(actor), await this.facts(personId), this.deps.clock.now());
    if (!decision.permit) throw notFound("Person");
    const { consent, routed } = await auditedTransaction(this.deps.dataSource, actor, async (m, trail) => {
      await this.checkInput(m, input);
      const consent = await this.insert(m, trail, actor, personId, input, null);
      // A consent may complete a pathway's conditions for the person's recent incidents.
      const recent = await recentIncidentsOf(m, personId, consent.obtainedAt);
      const routed = await routeIncidents(m, this.deps, trail, recent);
      ROUTING.set(consent, await consentRouting(m, routed.referrals.map((r) => r.id), recent, input.decision === ConsentDecision.REFUSED, this.deps.clock.now()));
      return { consent, routed };
    });
    announce(this.deps, routed);
    return consent;
  }

  /**
   * Withdrawal takes effect on the very next request (status is derived, and access facts are
   * read per request). Any agency with standing may record it: withdrawing must be easy.
   */
  async withdraw(actor: Actor, consentId: string, reason: string | null): Promise<Consent> {
    if (!isUuid(consentId)) throw notFound("Consent");
    const ds = this.deps.dataSource;
    const consent = await ds.getRepository(Consent).findOneBy({ id: consentId });
    if (!consent) throw notFound("Consent");
    const facts = await this.facts(consent.personId);
    // The consent must exist for the caller (recorded by it or naming it: reach.consent), and the
    // caller must still have standing with the person.
    const reachable = reach.consent.check(viewerOf(actor), { ...consent, personAreaCodes: facts.areaCodes });
    if (!reachable || !hasStanding(accessActor(actor), facts, this.deps.clock.now())) throw notFound("Consent");
    if (consent.decision === ConsentDecision.REFUSED) throw invalidTransition("a refusal cannot be withdrawn; record a new consent instead");
    if (consent.withdrawnAt) return consent;
    return auditedTransaction(ds, actor, async (m, trail) => {
      const updated = await m.query(
        `UPDATE consent SET "withdrawnAt" = $2, "withdrawnByAgencyId" = $3, "withdrawalReason" = $4 WHERE id = $1 AND "withdrawnAt" IS NULL RETURNING id`,
        [consentId, this.deps.clock.now(), actor.agency.id, reason],
      );
      if (returnedRows(updated).length === 0) return m.getRepository(Consent).findOneByOrFail({ id: consentId }); // withdrawn concurrently
      trail.add({ action: "CONSENT_WITHDRAWN", entityType: "Consent", entityId: consentId, personId: consent.personId });
      // Referrals that rested on this consent stop at once.
      await withdrawReferralsOf(m, trail, consentId, this.deps.clock.now());
      return m.getRepository(Consent).findOneByOrFail({ id: consentId });
    });
  }

  /** The person's consent records that exist for the caller (reach.consent), newest first. */
  async consentsOf(actor: Actor, personId: string): Promise<Consent[]> {
    const qb = this.deps.dataSource.getRepository(Consent).createQueryBuilder("c").where(`c."personId" = :personId`, { personId });
    return scoped(qb, reach.consent, viewerOf(actor), "c").orderBy(`c."obtainedAt"`, "DESC").getMany();
  }

  /** Break-glass: time-limited, audited, listed for review. */
  async requestEmergencyAccess(actor: Actor, input: EmergencyAccessInput): Promise<AccessGrant> {
    if (!isUuid(input.personId)) throw notFound("Person");
    const problems: InputProblem[] = [];
    const justification = input.justification.trim();
    if (justification.length < 20 || justification.length > 2000) problems.push({ field: "justification", rule: "must explain the emergency in 20 to 2000 characters" });
    if (problems.length > 0) throw badInput(problems);
    const ds = this.deps.dataSource;
    if (!(await ds.getRepository(Person).existsBy({ id: input.personId }))) throw notFound("Person");
    const now = this.deps.clock.now();
    const { grant, routed } = await auditedTransaction(ds, actor, async (m, trail) => {
      const [row] = await m.query(
        `INSERT INTO access_grant ("personId", "agencyId", "grantedToSub", basis, justification, "grantedAt", "expiresAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [input.personId, actor.agency.id, actor.sub, input.basis, justification, now, new Date(now.getTime() + this.deps.config.emergencyGrantHours * 3600_000)],
      );
      trail.add({
        action: "EMERGENCY_ACCESS_GRANTED",
        entityType: "AccessGrant",
        entityId: row.id,
        personId: input.personId,
        basis: input.basis,
        detail: { hours: this.deps.config.emergencyGrantHours },
      });
      // A safeguarding grant is a lawful basis for the MASH route.
      const routed = await routeIncidents(m, this.deps, trail, await recentIncidentsOf(m, input.personId, now));
      return { grant: await m.getRepository(AccessGrant).findOneByOrFail({ id: row.id }), routed };
    });
    announce(this.deps, routed);
    return grant;
  }

  listGrants(actor: Actor, reviewed: boolean | null): Promise<AccessGrant[]> {
    // A review queue, newest first; bounded because a reviewer works from the top.
    const qb = scoped(this.deps.dataSource.getRepository(AccessGrant).createQueryBuilder("g").where("TRUE"), reach.grant, viewerOf(actor), "g").orderBy(`g."grantedAt"`, "DESC").limit(500);
    if (reviewed === true) qb.andWhere(`g."reviewedAt" IS NOT NULL`);
    if (reviewed === false) qb.andWhere(`g."reviewedAt" IS NULL`);
    return qb.getMany();
  }

  async reviewGrant(actor: Actor, id: string, input: ReviewGrantInput): Promise<AccessGrant> {
    if (!isUuid(id)) throw notFound("AccessGrant");
    return auditedTransaction(this.deps.dataSource, actor, async (m, trail) => {
      const grant = await m.getRepository(AccessGrant).findOne({ where: { id }, lock: { mode: "pessimistic_write" } });
      if (!grant) throw notFound("AccessGrant");
      if (grant.reviewedAt) throw invalidTransition("this grant has already been reviewed");
      await m.query(`UPDATE access_grant SET "reviewedAt" = $2, "reviewedBySub" = $3, "reviewOutcome" = $4, "reviewNote" = $5 WHERE id = $1`, [
        id,
        this.deps.clock.now(),
        actor.sub,
        input.outcome,
        input.note ?? null,
      ]);
      trail.add({ action: "EMERGENCY_GRANT_REVIEWED", entityType: "AccessGrant", entityId: id, personId: grant.personId, detail: { outcome: input.outcome } });
      return m.getRepository(AccessGrant).findOneByOrFail({ id });
    });
  }
}
