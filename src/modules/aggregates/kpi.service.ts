import type { DataSource } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import type { ServiceDeps } from "../../core/context.js";
import { interAgencyFigures } from "../referrals/referral.kpis.js";
import { and, attributeConditions, openAggregate, populationConditions } from "./aggregates.service.js";
import { FIRST_AID_COLUMN, type KpiRow, type KpiScope, rollupAnswers, rollupKpiRow } from "./kpi-rollup.js";
import type { Period } from "./period.policy.js";
import { FirstAidItem, type InterAgencyKpis, type KpiFilter, type Kpis } from "./kpi.types.js";
import { keySumSql, publishCount, publishedRatio, publishPercentile, ruleInfo, type PublishedCount } from "./suppression.policy.js";

const ITEMS = Object.values(FirstAidItem);
/** Category 1 (stopped breathing) ambulance response target, in minutes. */
const CATEGORY_1_TARGET_MINUTES = 7;

/** Sum of the record keys of the administrations matching `where` (all of them without). */
const keys = (name: string, where?: string) => `${keySumSql("i", where)} AS "k_${name}"`;

export class KpiService {
  constructor(private readonly deps: Pick<ServiceDeps, "dataSource" | "config" | "clock">) {}

  async kpis(actor: Actor, filter: KpiFilter | null | undefined): Promise<Kpis> {
    const period = await openAggregate(this.deps, actor, "kpis", filter, { union: true });
    const scope: KpiScope = { period, areaCodes: filter?.areaCodes, agencyCodes: filter?.agencyCodes, substances: filter?.substances };
    // The weekly rollup answers in one statement (figures and the substance filter's population);
    // the plain statement over incident stays for what the rollup cannot answer (never, today).
    let row: KpiRow;
    let population: number | null = null;
    if (rollupAnswers(scope)) {
      const r = await rollupKpiRow(this.deps.dataSource, scope);
      row = r;
      if (filter?.substances?.length) population = r.population;
    } else {
      row = await plainKpiRow(this.deps.dataSource, scope);
      if (filter?.substances?.length) population = await this.populationCount(filter, period);
    }
    const rule = this.deps.config.suppression;
    const k = (name: string) => row[`k_${name}`] as string;
    // Under a substance filter the administrations are a part of all the period's administrations in
    // those areas: hidden (0 included) while that population is small, so "none of the 3 took
    // xylazine" is never said (the population is read above).
    const admin = publishCount(row.administrations, k("administrations"), rule, population === null ? undefined : { population });
    // A count of administrations with some attribute is a part of the administrations: hidden
    // (0 included) while they are few, so a narrow filter tells nothing about one person.
    const part = (name: string, n: number, population = row.administrations, parent?: PublishedCount) => publishCount(n, k(name), rule, { population, parent });
    const reversedCount = part("reversed", row.reversed);
    const withFirstAid = part("with_first_aid", row.with_first_aid);
    const seen = part("seen", row.seen);
    const responses = part("responses", row.responses);
    const overTargetCount = part("over_target", row.over_target, row.responses, responses);
    // Sums (doses, kits) are published by the same table over the administrations' (resupplies') keys.
    const doses = part("administrations", row.doses);
    const resupply = part("resupply", row.resupply);
    return {
      period,
      administrations: admin,
      overdosesReversed: reversedCount,
      reversedShare: publishedRatio(reversedCount, admin),
      doses,
      dosesPerAdministration: publishedRatio(doses, admin),
      withFirstAid,
      firstAidShare: publishedRatio(withFirstAid, admin),
      firstAidItems: ITEMS.map((item) => {
        const count = part(item, row[item] as number);
        return { item, count, share: publishedRatio(count, admin) };
      }),
      ambulanceResponses: responses,
      // A median describes the people behind it: only over enough responses, in whole minutes.
      ambulanceResponseMedianMinutes: publishPercentile(row.median, row.responses, rule),
      ambulanceResponseP90Minutes: publishPercentile(row.p90, row.responses, rule),
      ambulanceOverCategory1Target: overTargetCount,
      ambulanceOverCategory1TargetShare: publishedRatio(overTargetCount, responses),
      seenByParamedics: seen,
      seenByParamedicsShare: publishedRatio(seen, admin),
      resupplyRequests: resupply,
      kitsRequired: part("resupply", row.kits, row.administrations, resupply),
      suppression: ruleInfo(rule),
      filter,
    };
  }

  /** The inter-agency indicators (a second statement, run only when asked for), over the KPIs' period. */
  async interAgency(kpis: Pick<Kpis, "filter" | "period">, now: Date): Promise<InterAgencyKpis> {
    const filter = kpis.filter;
    const f = await interAgencyFigures(this.deps.dataSource, { areaCodes: filter?.areaCodes, agencyCodes: filter?.agencyCodes, substances: filter?.substances, from: kpis.period.from, to: kpis.period.to }, now);
    const rule = this.deps.config.suppression;
    const population = filter?.substances?.length ? await this.populationCount(filter, kpis.period) : null;
    const incidents = publishCount(f.incidents, f.keys.incidents, rule, population === null ? undefined : { population });
    // Consent and engagement are facts a person would not want known: published only when both
    // they and the rest of their population are above the threshold ("none" or "all" never stated).
    const withConsent = publishCount(f.incidentsWithConsent, f.keys.incidentsWithConsent, rule, { population: f.incidents, sensitive: true });
    const made = publishCount(f.referralsMade, f.keys.referralsMade, rule, { population: f.incidents });
    const accepted = publishCount(f.referralsAccepted, f.keys.referralsAccepted, rule, { population: f.referralsMade, parent: made });
    const engaged = publishCount(f.referralsEngaged, f.keys.referralsEngaged, rule, { population: f.referralsMade, sensitive: true, parent: made });
    const due = publishCount(f.reviewsDue, f.keys.reviewsDue, rule, { population: f.incidents });
    const onTime = publishCount(f.reviewsCompletedWithin72h, f.keys.reviewsCompletedWithin72h, rule, { population: f.reviewsDue, parent: due });
    return {
      period: kpis.period,
      incidents,
      incidentsWithConsent: withConsent,
      consentGivenShare: publishedRatio(withConsent, incidents),
      referralsMade: made,
      referralsAccepted: accepted,
      referralsAcceptedShare: publishedRatio(accepted, made),
      referralsEngaged: engaged,
      referralsEngagedShare: publishedRatio(engaged, made),
      medianHoursToFirstContact: made.suppressed ? null : publishPercentile(f.medianHoursToFirstContact, f.referralsContacted, rule),
      reviewsDue: due,
      reviewsCompletedWithin72h: onTime,
      reviewsOnTimeShare: publishedRatio(onTime, due),
    };
  }

  /** All administrations of the period, areas and forces, whatever the substance: the population a substance filter takes a part of. */
  private async populationCount(filter: KpiFilter | null | undefined, period: Period): Promise<number> {
    const params: unknown[] = [];
    const where = populationConditions({ areaCodes: filter?.areaCodes, ...period }, params);
    if (filter?.agencyCodes?.length) where.push(`i."agencyId" IN (SELECT a.id FROM agency a WHERE a.code = ANY($${params.push(filter.agencyCodes)}::text[]))`);
    const [row] = await this.deps.dataSource.query(`SELECT count(*)::int AS n FROM incident i WHERE ${and(where)}`, params);
    return row.n as number;
  }
}

/** The KPI figures by the plain statement over incident (every indicator an aggregate over the same filtered rows, each count with its key sum). */
export async function plainKpiRow(dataSource: DataSource, scope: KpiScope): Promise<KpiRow> {
  const params: unknown[] = [];
  const where = populationConditions({ areaCodes: scope.areaCodes as string[] | null | undefined, ...scope.period }, params);
  if (scope.agencyCodes?.length) where.push(`i."agencyId" IN (SELECT a.id FROM agency a WHERE a.code = ANY($${params.push(scope.agencyCodes)}::text[]))`);
  // A substance narrows the administrations to a part of the period's population (see below).
  where.push(...attributeConditions({ substances: scope.substances as string[] | null | undefined }, params));
  const anyFirstAid = ITEMS.map((k) => `i."${FIRST_AID_COLUMN[k]}" IS TRUE`).join(" OR ");
  const reversed = `i.outcome = 'CONSCIOUS_AND_RESPONSIVE'`;
  const responded = `i."ambulanceResponseMinutes" IS NOT NULL`;
  const overTarget = `i."ambulanceResponseMinutes" > ${CATEGORY_1_TARGET_MINUTES}`;
  // One statement: every indicator is an aggregate over the same filtered rows, each count with
  // the key sum of the records behind it, percentiles included.
  const [row]: KpiRow[] = await dataSource.query(
    `SELECT count(*)::int AS administrations, ${keys("administrations")},
            count(*) FILTER (WHERE ${reversed})::int AS reversed, ${keys("reversed", reversed)},
            coalesce(sum(i."dosesAdministered"), 0)::int AS doses,
            count(*) FILTER (WHERE ${anyFirstAid})::int AS with_first_aid, ${keys("with_first_aid", anyFirstAid)},
            ${ITEMS.map((k) => `count(*) FILTER (WHERE i."${FIRST_AID_COLUMN[k]}" IS TRUE)::int AS "${k}", ${keys(k, `i."${FIRST_AID_COLUMN[k]}" IS TRUE`)}`).join(",\n              ")},
            count(*) FILTER (WHERE ${responded})::int AS responses, ${keys("responses", responded)},
            count(*) FILTER (WHERE ${overTarget})::int AS over_target, ${keys("over_target", overTarget)},
            percentile_cont(0.5) WITHIN GROUP (ORDER BY i."ambulanceResponseMinutes") AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY i."ambulanceResponseMinutes") AS p90,
            count(*) FILTER (WHERE i."seenByParamedics")::int AS seen, ${keys("seen", `i."seenByParamedics"`)},
            count(*) FILTER (WHERE i."resupplyNeeded")::int AS resupply, ${keys("resupply", `i."resupplyNeeded"`)},
            coalesce(sum(i."kitsRequired"), 0)::int AS kits
       FROM incident i WHERE ${and(where)}`,
    params,
  );
  return row;
}
