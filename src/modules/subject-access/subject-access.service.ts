import type { Actor } from "../../core/auth/actor.js";
import { writeAudit } from "../../core/audit/audit.js";
import type { ServiceDeps } from "../../core/context.js";
import { notFound } from "../../core/errors.js";
import { isUuid } from "../../core/ids.js";
import { consentStatus } from "../consent/access.policy.js";
import { ConsentDecision } from "../consent/consent.entity.js";
import { Person } from "../people/person.entity.js";
import { identityKey } from "../people/person.policy.js";
import { AccessChannel, DisclosureKind, HeldRecordKind, type Disclosure, type HeldRecord, type IdentityInput, type SubjectAccessReport } from "./subject-access.types.js";

/** Where a read came through, from the request id the audit row carries (set by each entry point). */
export function channelOf(requestId: string | null): AccessChannel {
  if (!requestId) return AccessChannel.HUB;
  if (requestId.startsWith("ws-")) return AccessChannel.SUBSCRIPTION;
  if (requestId.startsWith("fhir-")) return AccessChannel.FHIR;
  if (requestId.startsWith("export-")) return AccessChannel.EXPORT;
  return AccessChannel.GRAPHQL;
}

/** The purpose a pathway's referral serves (the purpose its consent had to cover). */
const PURPOSE_OF_PATHWAY: Record<string, string> = {
  DIRECT_TREATMENT: "TREATMENT_REFERRAL",
  NFO_COORDINATOR: "TREATMENT_REFERRAL",
  MASH_SAFEGUARDING: "SAFEGUARDING",
  SEVENTY_TWO_HOUR_REVIEW: "HARM_REDUCTION_REVIEW",
};

const IDENTIFYING_COLUMNS = ["givenName", "familyName", "dateOfBirth", "ageYears", "gender", "identityKey"] as const;

/** Bounded like accessReport: a report is read by a person, not a machine. */
const MAX_ROWS = 5000;

export class SubjectAccessService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The person whose identity key the given names and date of birth produce, or null. Exact match
   * on the key only: a different spelling or date is a different key and finds nothing. The lookup
   * is audited (never the names), matched or not.
   */
  async findPerson(actor: Actor, identity: IdentityInput): Promise<Person | null> {
    const key = identityKey(this.deps.config.identityKeySecret, identity);
    const person = key ? await this.deps.dataSource.getRepository(Person).findOneBy({ identityKey: key }) : null;
    await writeAudit(this.deps.dataSource.manager, actor, {
      action: "PERSON_LOOKUP",
      entityType: "Person",
      entityId: person?.id ?? null,
      personId: person?.id ?? null,
      detail: { matched: !!person, by: "identityKey" },
    });
    return person;
  }

  /** Records held and the accounting of disclosures; the report itself is audited. */
  async report(actor: Actor, personId: string, format: "json" | "csv" = "json"): Promise<SubjectAccessReport> {
    if (!isUuid(personId)) throw notFound("Person");
    const ds = this.deps.dataSource;
    const [person]: Array<Record<string, unknown> & { erasedAt: Date | null }> = await ds.query(
      `SELECT "givenName", "familyName", "dateOfBirth", "ageYears", gender, "identityKey", "erasedAt" FROM person WHERE id = $1`,
      [personId],
    );
    if (!person) throw notFound("Person");
    const now = this.deps.clock.now();
    const [records, reads, referrals, [{ refused }]] = await Promise.all([
      this.records(personId, now),
      ds.query(
        `SELECT id::text AS id, at, "requestId", "actorSub", "actorAgencyCode", basis, purpose, fields FROM audit_event
          WHERE "personId" = $1 AND action = 'PERSON_READ' ORDER BY at, id LIMIT ${MAX_ROWS}`,
        [personId],
      ) as Promise<Array<{ id: string; at: Date; requestId: string | null; actorSub: string | null; actorAgencyCode: string | null; basis: string | null; purpose: string | null; fields: string[] }>>,
      ds.query(
        `SELECT r."createdAt" AS at, a.code, r.pathway, r."consentId", r."grantId" FROM referral r JOIN agency a ON a.id = r."toAgencyId"
          WHERE r."personId" = $1 ORDER BY r."createdAt", r.id LIMIT ${MAX_ROWS}`,
        [personId],
      ) as Promise<Array<{ at: Date; code: string; pathway: string; consentId: string | null; grantId: string | null }>>,
      ds.query(`SELECT count(*)::int AS refused FROM audit_event WHERE "personId" = $1 AND action = 'PERSON_READ_DENIED'`, [personId]),
    ]);
    const disclosures: Disclosure[] = [
      ...reads.map((r) => ({
        at: r.at,
        kind: DisclosureKind.READ,
        agencyCode: r.actorAgencyCode ?? "HUB",
        actorSub: r.actorSub,
        basis: r.basis,
        purpose: r.purpose,
        fields: r.fields,
        channel: channelOf(r.requestId),
        reference: null,
        auditEventId: r.id,
        requestId: r.requestId,
      })),
      ...referrals.map((r) => ({
        at: r.at,
        kind: DisclosureKind.RECEIVED,
        agencyCode: r.code,
        actorSub: null,
        basis: r.consentId ? "CONSENT" : r.grantId ? "EMERGENCY_GRANT" : "ROUTE",
        purpose: PURPOSE_OF_PATHWAY[r.pathway] ?? null,
        fields: [],
        channel: AccessChannel.HUB,
        reference: r.consentId ?? r.grantId ?? null,
        auditEventId: null,
        requestId: null,
      })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    const report: SubjectAccessReport = {
      personId,
      generatedAt: now,
      identifyingDataHeld: IDENTIFYING_COLUMNS.filter((c) => person[c] != null),
      identifyingDataErasedAt: person.erasedAt ?? null,
      records,
      disclosures,
      refusedReads: refused,
      truncated: records.length >= MAX_ROWS || reads.length >= MAX_ROWS || referrals.length >= MAX_ROWS,
    };
    await writeAudit(ds.manager, actor, {
      action: "SUBJECT_ACCESS_REPORT",
      entityType: "Person",
      entityId: personId,
      personId,
      detail: { format, records: records.length, disclosures: disclosures.length },
    });
    return report;
  }

  private async records(personId: string, now: Date): Promise<HeldRecord[]> {
    const rows: Array<{ kind: HeldRecordKind; id: string; code: string; at: Date; status: string | null; decision: string | null; expiresAt: Date | null; withdrawnAt: Date | null }> =
      await this.deps.dataSource.query(
        `SELECT * FROM (
           SELECT 'INCIDENT' AS kind, i.id, a.code, i."occurredAt" AS at, NULL AS status, NULL AS decision, NULL::timestamptz AS "expiresAt", NULL::timestamptz AS "withdrawnAt"
             FROM incident i JOIN agency a ON a.id = i."agencyId" WHERE i."personId" = $1
           UNION ALL
           SELECT 'HANDOVER', h.id, a.code, h."handedOverAt", NULL, NULL, NULL, NULL
             FROM handover h JOIN incident i ON i.id = h."incidentId" JOIN agency a ON a.id = h."agencyId" WHERE i."personId" = $1
           UNION ALL
           SELECT 'CONSENT', c.id, a.code, c."obtainedAt", NULL, c.decision::text, c."expiresAt", c."withdrawnAt"
             FROM consent c JOIN agency a ON a.id = c."recordedByAgencyId" WHERE c."personId" = $1
           UNION ALL
           SELECT 'EMERGENCY_GRANT', g.id, a.code, g."grantedAt", NULL, NULL, NULL, NULL
             FROM access_grant g JOIN agency a ON a.id = g."agencyId" WHERE g."personId" = $1
           UNION ALL
           SELECT 'REFERRAL', r.id, a.code, r."createdAt", r.status::text, NULL, NULL, NULL
             FROM referral r JOIN agency a ON a.id = r."toAgencyId" WHERE r."personId" = $1
           UNION ALL
           SELECT 'REVIEW', v.id, a.code, v."createdAt", v.status::text, NULL, NULL, NULL
             FROM review v JOIN agency a ON a.id = v."agencyId" WHERE v."personId" = $1
           UNION ALL
           SELECT 'PRISON_RELEASE', p.id, a.code, p."releaseDate"::timestamptz, NULL, NULL, NULL, NULL
             FROM prison_release p JOIN agency a ON a.id = p."agencyId" WHERE p."personId" = $1
         ) x ORDER BY at, id LIMIT ${MAX_ROWS}`,
        [personId],
      );
    return rows.map((r) => ({
      kind: r.kind,
      id: r.id,
      agencyCode: r.code,
      at: r.at,
      status: r.kind === HeldRecordKind.CONSENT ? consentStatus({ decision: r.decision as ConsentDecision, expiresAt: r.expiresAt, withdrawnAt: r.withdrawnAt }, now) : r.status,
    }));
  }
}
