import type { ServiceDeps } from "../../core/context.js";
import { badInput } from "../../core/errors.js";
import { checkPeriod } from "./aggregates.policy.js";
import { incidentConditions } from "./aggregates.service.js";
import { interAgencyFigures } from "../referrals/referral.kpis.js";
import { FirstAidItem, type InterAgencyKpis, type KpiFilter, type Kpis } from "./kpi.types.js";
import { publishCount, publishedRatio, publishShareOf, type PublishedCount } from "./suppression.policy.js";

/** Stored column of each first-aid item (TypeORM's embedded prefix lower-cases the rest). */
const FIRST_AID_COLUMN: Readonly<Record<FirstAidItem, string>> = {
  TRIED_TO_WAKE_VERBALLY: "firstAidTriedtowakeverbally",
  TILTED_HEAD_BACK: "firstAidTiltedheadback",
  CHECKED_BREATHING: "firstAidCheckedbreathing",
  RECOVERY_POSITION: "firstAidRecoveryposition",
  CHEST_COMPRESSIONS: "firstAidChestcompressions",
  RESCUE_BREATHS: "firstAidRescuebreaths",
  CLEARED_AIRWAYS: "firstAidClearedairways",
  CHECKED_PULSE: "firstAidCheckedpulse",
  CHECKED_FOR_RESPONSE: "firstAidCheckedforresponse",
};
const ITEMS = Object.values(FirstAidItem);
/** Category 1 (stopped breathing) ambulance response target, in minutes. */
const CATEGORY_1_TARGET_MINUTES = 7;

interface KpiRow {
  administrations: number;
  reversed: number;
  doses: number;
  with_first_aid: number;
  responses: number;
  over_target: number;
  median: number | null;
  p90: number | null;
  seen: number;
  resupply: number;
  kits: number;
  [item: string]: number | null;
}

const oneDecimal = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const usable = (c: PublishedCount) => !c.suppressed && !!c.count;

export class KpiService {
  constructor(private readonly deps: Pick<ServiceDeps, "dataSource" | "config">) {}

  async kpis(filter: KpiFilter | null | undefined): Promise<Kpis> {
    const problems = checkPeriod(filter);
    if (problems.length) throw badInput(problems);
    const params: unknown[] = [];
    const where = incidentConditions({ from: filter?.from, to: filter?.to, areaCodes: filter?.areaCodes, substances: filter?.substances }, params);
    if (filter?.agencyCodes) where.push(`i."agencyId" IN (SELECT a.id FROM agency a WHERE a.code = ANY($${params.push(filter.agencyCodes)}::text[]))`);
    const anyFirstAid = ITEMS.map((k) => `i."${FIRST_AID_COLUMN[k]}" IS TRUE`).join(" OR ");
    // One statement: every indicator is an aggregate over the same filtered rows, percentiles included.
    const [row]: KpiRow[] = await this.deps.dataSource.query(
      `SELECT count(*)::int AS administrations,
              count(*) FILTER (WHERE i.outcome = 'CONSCIOUS_AND_RESPONSIVE')::int AS reversed,
              coalesce(sum(i."dosesAdministered"), 0)::int AS doses,
              count(*) FILTER (WHERE ${anyFirstAid})::int AS with_first_aid,
              ${ITEMS.map((k) => `count(*) FILTER (WHERE i."${FIRST_AID_COLUMN[k]}" IS TRUE)::int AS "${k}"`).join(",\n              ")},
              count(i."ambulanceResponseMinutes")::int AS responses,
              count(*) FILTER (WHERE i."ambulanceResponseMinutes" > ${CATEGORY_1_TARGET_MINUTES})::int AS over_target,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY i."ambulanceResponseMinutes") AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY i."ambulanceResponseMinutes") AS p90,
              count(*) FILTER (WHERE i."seenByParamedics")::int AS seen,
              count(*) FILTER (WHERE i."resupplyNeeded")::int AS resupply,
              coalesce(sum(i."kitsRequired"), 0)::int AS kits
         FROM incident i WHERE ${where.length ? where.join(" AND ") : "TRUE"}`,
      params,
    );
    const rule = this.deps.config.suppression;
    const admin = publishCount(row.administrations, rule);
    // A count shown beside its whole also shows its complement: publish them as a pair.
    const partOfAdmin = (n: number) => publishShareOf(n, row.administrations, rule).part;
    const reversed = partOfAdmin(row.reversed);
    const withFirstAid = partOfAdmin(row.with_first_aid);
    const seen = partOfAdmin(row.seen);
    const responses = partOfAdmin(row.responses);
    const overTarget = publishShareOf(row.over_target, row.responses, rule).part;
    const doses = publishCount(row.doses, rule);
    return {
      administrations: admin,
      overdosesReversed: reversed,
      reversedShare: publishedRatio(reversed, admin),
      doses,
      dosesPerAdministration: publishedRatio(doses, admin),
      withFirstAid,
      firstAidShare: publishedRatio(withFirstAid, admin),
      firstAidItems: ITEMS.map((item) => {
        const count = partOfAdmin(row[item] as number);
        return { item, count, share: publishedRatio(count, admin) };
      }),
      ambulanceResponses: responses,
      // Percentiles of a handful of responses describe those people's incidents: withheld like counts.
      ambulanceResponseMedianMinutes: usable(responses) ? oneDecimal(row.median) : null,
      ambulanceResponseP90Minutes: usable(responses) ? oneDecimal(row.p90) : null,
      ambulanceOverCategory1Target: overTarget,
      ambulanceOverCategory1TargetShare: publishedRatio(overTarget, responses),
      seenByParamedics: seen,
      seenByParamedicsShare: publishedRatio(seen, admin),
      resupplyRequests: partOfAdmin(row.resupply),
      kitsRequired: publishCount(row.kits, rule),
      suppression: { ...rule },
      filter,
    };
  }

  /** The inter-agency indicators (a second statement, run only when asked for). */
  async interAgency(filter: KpiFilter | null | undefined, now: Date): Promise<InterAgencyKpis> {
    const f = await interAgencyFigures(this.deps.dataSource, filter ?? {}, now);
    const rule = this.deps.config.suppression;
    const incidents = publishCount(f.incidents, rule);
    const withConsent = publishShareOf(f.incidentsWithConsent, f.incidents, rule).part;
    const made = publishCount(f.referralsMade, rule);
    const accepted = publishShareOf(f.referralsAccepted, f.referralsMade, rule).part;
    const engaged = publishShareOf(f.referralsEngaged, f.referralsMade, rule).part;
    const contacted = publishShareOf(f.referralsContacted, f.referralsMade, rule).part;
    const due = publishCount(f.reviewsDue, rule);
    const onTime = publishShareOf(f.reviewsCompletedWithin72h, f.reviewsDue, rule).part;
    return {
      incidents,
      incidentsWithConsent: withConsent,
      consentGivenShare: publishedRatio(withConsent, incidents),
      referralsMade: made,
      referralsAccepted: accepted,
      referralsAcceptedShare: publishedRatio(accepted, made),
      referralsEngaged: engaged,
      referralsEngagedShare: publishedRatio(engaged, made),
      // A median of a handful of contacts describes those people: withheld like their count.
      medianHoursToFirstContact: usable(contacted) ? oneDecimal(f.medianHoursToFirstContact) : null,
      reviewsDue: due,
      reviewsCompletedWithin72h: onTime,
      reviewsOnTimeShare: publishedRatio(onTime, due),
    };
  }
}
