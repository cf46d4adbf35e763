import type { Queryable } from "../consent/access.service.js";

export interface InterAgencyFilter {
  from?: Date | null;
  to?: Date | null;
  areaCodes?: string[] | null;
  /** Recording agencies (forces) whose incidents count. */
  agencyCodes?: string[] | null;
  /** Only incidents where any of these substances was taken. */
  substances?: string[] | null;
}

/**
 * Raw inter-agency figures for the incidents a filter selects; the aggregates layer applies the
 * small-number rule. Each count comes with the sum of its records' keys (`keys.<count>`, an int8
 * string): the incidents' for incident counts, the referrals' and the reviews' for theirs.
 */
export interface InterAgencyFigures {
  incidents: number;
  incidentsWithConsent: number;
  referralsMade: number;
  referralsAccepted: number;
  referralsEngaged: number;
  referralsContacted: number;
  medianHoursToFirstContact: number | null;
  reviewsDue: number;
  reviewsCompletedWithin72h: number;
  keys: Record<"incidents" | "incidentsWithConsent" | "referralsMade" | "referralsAccepted" | "referralsEngaged" | "reviewsDue" | "reviewsCompletedWithin72h", string>;
}

/** A consent counts for an incident when obtained from a day before it to 30 days after. */
export const CONSENT_WINDOW = { beforeDays: 1, afterDays: 30 };

/**
 * The evaluation's inter-agency collaboration indicators, in one statement: referrals made,
 * accepted and engaged (ever reached, from the event history), median hours from referral to first
 * contact, reviews completed by their deadline among those due, and the share of incidents with a
 * consent given around them.
 */
export async function interAgencyFigures(db: Queryable, f: InterAgencyFilter, now: Date): Promise<InterAgencyFigures> {
  const [row] = await db.query(
    `WITH inc AS (
       SELECT i.id, i."personId", i."occurredAt", i."recordKey" FROM incident i JOIN agency a ON a.id = i."agencyId"
        WHERE ($1::timestamptz IS NULL OR i."occurredAt" >= $1) AND ($2::timestamptz IS NULL OR i."occurredAt" < $2)
          AND ($3::text[] IS NULL OR i."areaCode" = ANY($3)) AND ($4::text[] IS NULL OR a.code = ANY($4))
          AND ($8::substance[] IS NULL OR i.substances && $8::substance[])
     ),
     ref AS (
       SELECT r.id, r."createdAt", r."firstContactAt", r."recordKey",
              EXISTS (SELECT 1 FROM referral_event e WHERE e."referralId" = r.id AND e.type = 'ACCEPTED') AS accepted,
              EXISTS (SELECT 1 FROM referral_event e WHERE e."referralId" = r.id AND e.type = 'ENGAGED') AS engaged
         FROM referral r JOIN inc ON inc.id = r."incidentId"
     ),
     rev AS (
       SELECT v."dueAt", v."completedAt", v."recordKey" FROM review v JOIN inc ON inc.id = v."incidentId"
        WHERE v."dueAt" <= $5 OR v."completedAt" IS NOT NULL
     )
     , incc AS (
       SELECT inc.*, EXISTS (
               SELECT 1 FROM consent c WHERE c."personId" = inc."personId" AND c.decision = 'GIVEN'
                  AND c."obtainedAt" BETWEEN inc."occurredAt" - make_interval(days => $6) AND inc."occurredAt" + make_interval(days => $7)) AS consented
         FROM inc
     )
     SELECT i.*, r.*, v.* FROM
       (SELECT count(*)::int AS incidents, coalesce(sum("recordKey"), 0)::text AS k_incidents,
               count(*) FILTER (WHERE consented)::int AS "incidentsWithConsent", coalesce(sum("recordKey") FILTER (WHERE consented), 0)::text AS "k_incidentsWithConsent"
          FROM incc) i,
       (SELECT count(*)::int AS "referralsMade", coalesce(sum("recordKey"), 0)::text AS "k_referralsMade",
               count(*) FILTER (WHERE accepted)::int AS "referralsAccepted", coalesce(sum("recordKey") FILTER (WHERE accepted), 0)::text AS "k_referralsAccepted",
               count(*) FILTER (WHERE engaged)::int AS "referralsEngaged", coalesce(sum("recordKey") FILTER (WHERE engaged), 0)::text AS "k_referralsEngaged",
               count(*) FILTER (WHERE "firstContactAt" IS NOT NULL)::int AS "referralsContacted",
               (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "firstContactAt" - "createdAt") / 3600) FILTER (WHERE "firstContactAt" IS NOT NULL))::float8 AS "medianHoursToFirstContact"
          FROM ref) r,
       (SELECT count(*)::int AS "reviewsDue", coalesce(sum("recordKey"), 0)::text AS "k_reviewsDue",
               count(*) FILTER (WHERE "completedAt" IS NOT NULL AND "completedAt" <= "dueAt")::int AS "reviewsCompletedWithin72h",
               coalesce(sum("recordKey") FILTER (WHERE "completedAt" IS NOT NULL AND "completedAt" <= "dueAt"), 0)::text AS "k_reviewsCompletedWithin72h"
          FROM rev) v`,
    [f.from ?? null, f.to ?? null, f.areaCodes?.length ? f.areaCodes : null, f.agencyCodes?.length ? f.agencyCodes : null, now, CONSENT_WINDOW.beforeDays, CONSENT_WINDOW.afterDays, f.substances?.length ? f.substances : null],
  );
  const keys = Object.fromEntries(Object.entries(row).filter(([k]) => k.startsWith("k_")).map(([k, v]) => [k.slice(2), v as string]));
  const figures = Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith("k_")));
  return { ...figures, keys } as unknown as InterAgencyFigures;
}
