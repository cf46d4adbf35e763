import { randomUUID } from "node:crypto";
import { Role } from "../../src/core/auth/roles";
import { sweepSpikes } from "../../src/modules/aggregates/alert.service";
import { poissonUpperTail } from "../../src/modules/aggregates/alert.policy";
import { createTestApp, type TestApp } from "../helpers/app";
import { insertIncidents, type BulkIncident } from "../helpers/bulk";
import { RECORD, validForm } from "../helpers/forms";

// The hostile partner analyst (docs/disclosure.md, "Threat model"): an aggregate-reading token, as
// many queries as the rate limit allows, and local knowledge of some incidents (say their own
// force's). Every attack below talks to the real API over HTTP, records what it concludes, and
// asserts that nothing it concludes is a count from 1 to 7 stated exactly, an incident placed in
// time more finely than its ISO week, or a fact about one person.
//
// On main before issue 12 (commit b19f3c0), 11 of these 12 attacks succeeded (SUCCEEDED_ON_MAIN
// below; "totals minus parts" failed there too); see docs/disclosure.md.

const WEEK = 7 * 24 * 3600_000;
const at = (iso: string) => new Date(iso);
const OCT = { from: "2026-10-01T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z" };

let app: TestApp;
let analyst: string;
/** Every figure any attack was shown, to check that no count in 1..7 was ever stated. */
const seen: unknown[] = [];
let queries = 0;
/** Answers and refusals per attack: an attack that got no answers proves nothing. */
const tally = { answered: 0, refused: [] as string[] };

async function ask<T = any>(query: string, variables: Record<string, unknown>, token = analyst): Promise<T | null> {
  queries++;
  const r = await app.gql(query, variables, token);
  seen.push(r.body);
  if (r.errors?.length) {
    tally.refused.push(...r.errors.map((e) => `${e.extensions.code}:${JSON.stringify(e.extensions.problems ?? "")}`));
    return null; // a refusal tells the attacker nothing
  }
  tally.answered++;
  return r.data as T;
}

type Pub = { count: number | null; suppressed: boolean } | null | undefined;
/** What an attacker reads from a published count: "zero", "some" (hidden or a number), or nothing. */
const nonZero = (c: Pub): boolean | null => (c == null ? null : c.count !== 0);

const AREA_COUNTS = `query($filter: AggregateFilter) { areaCounts(filter: $filter) { areaCode count suppressed } }`;
const HEATMAP = `query($filter: AggregateFilter, $resolution: Int) { heatmap(filter: $filter, resolution: $resolution) { cells { h3 count suppressed } total { count suppressed } } }`;
const WEEKLY = `query($filter: AggregateFilter) { administrationsByWeek(filter: $filter) { total { count suppressed } } }`;
const KPIS = `query($filter: KpiFilter) { kpis(filter: $filter) { administrations { count suppressed } ambulanceResponseMedianMinutes } }`;
const INTER = `query($filter: KpiFilter) { kpis(filter: $filter) { interAgency { incidents { count suppressed } incidentsWithConsent { count suppressed } referralsMade { count suppressed } } } }`;
const ALERTS = `query($filter: AlertFilter) { alerts(filter: $filter) { areaCode h3 window count suppressed expected pValue } }`;
const COVERAGE = `query($filter: PrisonCoverageFilter) { prisonNaloxoneCoverage(filter: $filter) { total { opioidUsersReleased { count suppressed } releasedWithKit { count suppressed } } } }`;
const TASKFORCE = `{ taskforceSummaries { areaCode weekStarting knownToServices } }`;

const areaCount = async (area: string, from: Date, to: Date, extra: Record<string, unknown> = {}): Promise<Pub> => {
  const d = await ask(AREA_COUNTS, { filter: { areaCodes: [area], from: from.toISOString(), to: to.toISOString(), ...extra } });
  return d?.areaCounts.find((a: { areaCode: string }) => a.areaCode === area);
};

/** Bisects the instant a monotone yes/no answer over [from, t) turns from `false` to `true`. */
async function bisect(lo: number, hi: number, answer: (t: Date) => Promise<boolean | null>, steps = 42): Promise<[number, number] | null> {
  for (let i = 0; i < steps && hi - lo > 1; i++) {
    const mid = Math.floor((lo + hi) / 2);
    const a = await answer(new Date(mid));
    if (a === null) return null;
    if (a) hi = mid;
    else lo = mid;
  }
  return [lo, hi];
}

/** An interval the attacker concluded holds an incident pins it finer than a week only if it is right. */
const pinned = (interval: [number, number] | null, truth: Date[]): boolean =>
  !!interval && interval[1] - interval[0] < WEEK && truth.some((t) => t.getTime() >= interval[0] && t.getTime() <= interval[1]);

// ---- The world: synthetic incidents in October 2026 (Mondays: 5, 12, 19, 26) ----

const LONE_DIED = at("2026-10-14T13:37:21.123Z"); // DUR-DURHAM, the only one there in October; consented
const LONE_OTHER = at("2026-10-14T09:12:44.321Z"); // ASC-SOMERSET, the only one there in October; no consent
const SPLIT = [at("2026-10-20T08:11:00Z"), at("2026-10-21T19:45:00Z"), at("2026-10-23T02:30:00Z")]; // DUR-DARLINGTON
const EDGE = Array.from({ length: 8 }, (_, k) => new Date(Date.UTC(2026, 9, 2 + 3 * k, 10, 17 * k))); // CLE-HARTLEPOOL
const MEDIAN = Array.from({ length: 25 }, (_, k) => new Date(Date.UTC(2026, 9, 1, 7) + k * 29.3 * 3600_000)); // CLE-STOCKTON
const NEIGHBOURS: Record<string, number> = { "NFK-KINGS-LYNN": 8, "NFK-GREAT-YARMOUTH": 9, "NYP-YORK": 10, "NYP-SCARBOROUGH": 11, "NYP-HARROGATE": 12 };
const TARGET = { area: "NFK-NORWICH", n: 3 }; // week of 26 October
const EASINGTON_WEEKS = { "2026-10-05": 12, "2026-10-12": 3, "2026-10-19": 0, "2026-10-26": 20 };
const ALERT_AREA = "ASC-BATH";
const ALERT_TRUE_COUNT = 6;
const ALERT_BASELINE = 16;

const many = (n: number, row: (k: number) => BulkIncident): BulkIncident[] => Array.from({ length: n }, (_, k) => row(k));
const force = (area: string) => area.split("-")[0];

let consentedPerson = "";

async function recordLone(agency: string, area: string, occurredAt: Date, outcome: string, substances: string[]): Promise<string> {
  const r = await app.gql(
    RECORD,
    {
      input: validForm({
        areaCode: area, occurredAt: occurredAt.toISOString(), outcome, substances,
        location: area === "DUR-DURHAM" ? { lat: 54.7761, lng: -1.5733 } : { lat: 51.015, lng: -3.103 },
        person: { givenName: "Attacky", familyName: `Notreal${randomUUID().replace(/\d/g, "").slice(0, 6)}`, dateOfBirth: "1988-02-03" },
        ambulanceCalledAt: null, ambulanceArrivedAt: null,
      }),
    },
    await app.token(agency, Role.OFFICER),
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.recordNaloxoneAdministration.person.id;
}

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.token("PH-ENG", Role.ANALYST);
  consentedPerson = await recordLone("DUR", "DUR-DURHAM", LONE_DIED, "DIED", ["NITAZENES"]);
  await recordLone("ASC", "ASC-SOMERSET", LONE_OTHER, "CONSCIOUS_AND_RESPONSIVE", ["HEROIN"]);
  const c = await app.gql(
    `mutation($p: ID!, $i: ConsentInput!) { recordConsent(personId: $p, input: $i) { id } }`,
    { p: consentedPerson, i: { method: "VERBAL", decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], obtainedAt: "2026-10-14T15:00:00Z" } },
    await app.token("DUR", Role.OFFICER),
  );
  if (c.errors) throw new Error(JSON.stringify(c.errors));

  const rows: BulkIncident[] = [
    ...SPLIT.map((occurredAt) => ({ agencyCode: "DUR", areaCode: "DUR-DARLINGTON", occurredAt })),
    ...EDGE.map((occurredAt) => ({ agencyCode: "CLE", areaCode: "CLE-HARTLEPOOL", occurredAt })),
    ...MEDIAN.map((occurredAt) => ({ agencyCode: "CLE", areaCode: "CLE-STOCKTON", occurredAt })),
    ...Object.entries(NEIGHBOURS).flatMap(([areaCode, n]) => many(n, (k) => ({ agencyCode: force(areaCode), areaCode, occurredAt: new Date(Date.UTC(2026, 9, 27, 1 + k)) }))),
    ...many(TARGET.n, (k) => ({ agencyCode: "NFK", areaCode: TARGET.area, occurredAt: new Date(Date.UTC(2026, 9, 28, 3 + 5 * k)) })),
    ...Object.entries(EASINGTON_WEEKS).flatMap(([monday, n]) => many(n, (k) => ({ agencyCode: "DUR", areaCode: "DUR-EASINGTON", occurredAt: new Date(Date.parse(`${monday}T00:00:00Z`) + 26 * 3600_000 + k * 3600_000) }))),
    // A spike in Bath: 16 in the 28 days before, 6 in the afternoon of 19 October.
    ...many(ALERT_BASELINE, (k) => ({ agencyCode: "ASC", areaCode: ALERT_AREA, occurredAt: new Date(Date.UTC(2026, 8, 21, 6) + k * 37 * 3600_000) })),
    ...many(ALERT_TRUE_COUNT, (k) => ({ agencyCode: "ASC", areaCode: ALERT_AREA, occurredAt: new Date(Date.UTC(2026, 9, 19, 12 + k)) })),
  ];
  await insertIncidents(app.ds, rows);
  // Ambulance response minutes for the moving-median attack: all different, in recording order.
  await app.ds.query(
    `UPDATE incident i SET "ambulanceResponseMinutes" = s.m FROM (SELECT id, 3 + 2 * (row_number() OVER (ORDER BY "occurredAt"))::int AS m FROM incident WHERE "areaCode" = 'CLE-STOCKTON') s WHERE i.id = s.id`,
  );
  await sweepSpikes({ dataSource: app.ds, config: app.config, pubsub: app.pubsub }, at("2026-10-19T18:30:00Z"));
});
afterAll(() => app.close());

// ---- The attacks ----

const attacks: Record<string, () => Promise<boolean>> = {
  /** Bisecting `to` over areaCounts: when does the lone Durham incident enter the window? */
  async "window-edge bisection: areaCounts places a lone incident in time"() {
    const from = new Date(OCT.from);
    const interval = await bisect(from.getTime(), Date.parse(OCT.to), async (t) => nonZero(await areaCount("DUR-DURHAM", from, t)));
    return pinned(interval, [LONE_DIED]);
  },

  /** Splitting the period over administrationsByWeek until each non-empty window holds one incident. */
  async "window splitting: administrationsByWeek gives a hidden count and its times"() {
    const leaves: Array<[number, number]> = [];
    const stack: Array<[number, number]> = [[Date.parse(OCT.from), Date.parse(OCT.to)]];
    let budget = 260;
    while (stack.length && budget-- > 0) {
      const [lo, hi] = stack.pop()!;
      const d = await ask(WEEKLY, { filter: { areaCodes: ["DUR-DARLINGTON"], from: new Date(lo).toISOString(), to: new Date(hi).toISOString() } });
      if (!d || !nonZero(d.administrationsByWeek.total)) continue;
      if (hi - lo <= 60_000) leaves.push([lo, hi]);
      else stack.push([lo, Math.floor((lo + hi) / 2)], [Math.floor((lo + hi) / 2), hi]);
    }
    const right = leaves.filter((l) => pinned(l, SPLIT));
    // Recovered: every claimed minute holds an incident, so the claimed count is the hidden count.
    return leaves.length > 0 && right.length === leaves.length;
  },

  /** The instant kpis.administrations turns from suppressed to a number dates the 8th incident. */
  async "rounding edge: kpis.administrations dates the incident that crosses the threshold"() {
    const from = OCT.from;
    const interval = await bisect(Date.parse(OCT.from), Date.parse(OCT.to), async (t) => {
      const d = await ask(KPIS, { filter: { areaCodes: ["CLE-HARTLEPOOL"], from, to: t.toISOString() } });
      return d ? !d.kpis.administrations.suppressed && d.kpis.administrations.count !== 0 : null;
    });
    return pinned(interval, EDGE);
  },

  /** Where the ambulance median moves as `to` grows, an incident entered the window. */
  async "moving median: the ambulance median dates the incident that moves it"() {
    const median = async (t: Date) => (await ask(KPIS, { filter: { areaCodes: ["CLE-STOCKTON"], from: OCT.from, to: t.toISOString() } }))?.kpis.ambulanceResponseMedianMinutes ?? null;
    let prev: { t: number; m: number } | null = null;
    for (let day = 2; day <= 32; day++) {
      const t = Date.UTC(2026, 9, day);
      const m = await median(new Date(t));
      if (m === null) continue;
      if (prev && m !== prev.m) {
        const before = prev.m;
        const interval = await bisect(prev.t, t, async (x) => {
          const v = await median(x);
          return v === null ? null : v !== before;
        });
        return pinned(interval, MEDIAN);
      }
      prev = { t, m };
    }
    return false;
  },

  /** Around a pinned incident, outcome filters on areaCounts tell that one person's outcome. */
  async "narrow filters over a small window: areaCounts tells one person's outcome"() {
    const outcomes = ["DIED", "CONSCIOUS_AND_RESPONSIVE", "UNCONSCIOUS"];
    const observe = async (area: string, t: Date) => Promise.all(outcomes.map(async (outcome) => nonZero(await areaCount(area, t, new Date(t.getTime() + 1), { outcome }))));
    const [a, b] = [await observe("DUR-DURHAM", LONE_DIED), await observe("ASC-SOMERSET", LONE_OTHER)];
    // The two people had different outcomes: if what the attacker sees differs, it told them apart.
    return JSON.stringify(a) !== JSON.stringify(b);
  },

  /** heatmap(outcome: DIED) over a small window around the pinned incident shows the death and its cell. */
  async "narrow filters over a small window: heatmap(outcome: DIED) places one death in a resolution-9 cell"() {
    const observe = async (t: Date, area: string) => {
      const d = await ask(HEATMAP, { filter: { areaCodes: [area], outcome: "DIED", from: t.toISOString(), to: new Date(t.getTime() + 1).toISOString() }, resolution: 9 });
      return d ? d.heatmap.cells.map((c: { h3: string }) => c.h3).length : null;
    };
    const [died, lived] = [await observe(LONE_DIED, "DUR-DURHAM"), await observe(LONE_OTHER, "ASC-SOMERSET")];
    return died !== null && lived !== null && died !== lived;
  },

  /** kpis.interAgency around a pinned incident: did that one person consent? */
  async "narrow filters over a small window: kpis.interAgency tells whether one person consented"() {
    const observe = async (area: string, t: Date) => {
      const d = await ask(INTER, { filter: { areaCodes: [area], from: t.toISOString(), to: new Date(t.getTime() + 1).toISOString() } });
      return d ? JSON.stringify([nonZero(d.kpis.interAgency.incidentsWithConsent), nonZero(d.kpis.interAgency.referralsMade)]) : null;
    };
    const [a, b] = [await observe("DUR-DURHAM", LONE_DIED), await observe("ASC-SOMERSET", LONE_OTHER)];
    return a !== null && b !== null && a !== b;
  },

  /** The target area with neighbours whose counts the attacker knows exactly: unions pin the target's hidden count. */
  async "one area against several: unions with known neighbours give a hidden count"() {
    const names = Object.keys(NEIGHBOURS);
    const observations: Array<{ known: number; pub: number }> = [];
    for (let mask = 1; mask < 1 << names.length; mask++) {
      const chosen = names.filter((_, i) => mask & (1 << i));
      const d = await ask(KPIS, { filter: { areaCodes: [TARGET.area, ...chosen], from: "2026-10-26T00:00:00Z", to: "2026-11-02T00:00:00Z" } });
      const c = d?.kpis.administrations;
      if (c && !c.suppressed && c.count !== null) observations.push({ known: chosen.reduce((s, a) => s + NEIGHBOURS[a], 0), pub: c.count });
    }
    if (observations.length === 0) return false;
    // The attacker tries the tightest model the answers fit: plain rounding to 5, else "within 4".
    const fits = (a: number, tolerance: number) => observations.every((o) => Math.abs(o.pub - (a + o.known)) <= tolerance);
    for (const tolerance of [2.5, 4]) {
      const candidates = [1, 2, 3, 4, 5, 6, 7].filter((a) => fits(a, tolerance));
      if (candidates.length) return candidates.length === 1 && candidates[0] === TARGET.n;
    }
    return false;
  },

  /** Weekly parts and totals over different spans, with the weeks the attacker knows, minus each other. */
  async "totals minus parts: a hidden week from the series total and the weeks around it"() {
    const known = EASINGTON_WEEKS["2026-10-05"] + EASINGTON_WEEKS["2026-10-26"];
    const spans = [
      ["2026-10-05T00:00:00Z", "2026-11-02T00:00:00Z", known],
      ["2026-10-05T00:00:00Z", "2026-10-19T00:00:00Z", EASINGTON_WEEKS["2026-10-05"]],
      ["2026-10-12T00:00:00Z", "2026-11-02T00:00:00Z", EASINGTON_WEEKS["2026-10-26"]],
    ] as const;
    const observations: Array<{ known: number; pub: number }> = [];
    for (const [from, to, k] of spans) {
      for (const q of [WEEKLY, KPIS]) {
        const d = await ask(q, { filter: { areaCodes: ["DUR-EASINGTON"], from, to } });
        const c: Pub = d?.administrationsByWeek?.total ?? d?.kpis?.administrations;
        if (c && !c.suppressed && c.count !== null) observations.push({ known: k, pub: c.count });
      }
    }
    const candidates = [1, 2, 3, 4, 5, 6, 7].filter((a) => observations.length > 0 && observations.every((o) => Math.abs(o.pub - (a + o.known)) <= 2.5));
    return candidates.length === 1 && candidates[0] === EASINGTON_WEEKS["2026-10-12"];
  },

  /** A suppressed spike alert's expected and p-value: only one hidden count gives that p-value. */
  async "alert figures: expected and pValue give a suppressed alert count"() {
    const d = await ask(ALERTS, { filter: { areaCodes: [ALERT_AREA] } }, await app.token("HUB", Role.ANALYST));
    const alert = d?.alerts.find((a: { h3: string | null; window: string; suppressed: boolean }) => a.h3 === null && a.window === "HOURS_24" && a.suppressed);
    if (!alert) return false;
    // The attacker knows the baseline (their own force's incidents) and the published formula.
    const expected = ((ALERT_BASELINE + 0.5) * 24) / (28 * 24);
    const band = (p: number) => Number((10 ** Math.max(-6, Math.ceil(Math.log10(Math.max(p, 1e-300)) - 1e-12))).toPrecision(1));
    const candidates = [1, 2, 3, 4, 5, 6, 7].filter((k) => band(poissonUpperTail(k, expected)) === alert.pValue);
    return candidates.length === 1 && candidates[0] === ALERT_TRUE_COUNT;
  },

  /** Prison coverage asked day by day: everyone released on a given day left without a kit. */
  async "prison coverage by day: who left without a kit"() {
    const lead = await app.token("PRISON-5", Role.PRISON_NALOXONE_LEAD);
    const base = {
      opioidUseIdentified: true, identifiedOn: "2026-08-01", releaseType: "RELEASED",
      pointOfOffer: "CARE_OR_RECOVERY_PLANNING", offerOutcome: "DECLINED", declineReason: "FEAR_OF_POLICE_OR_PROBATION",
      kitIssued: false, releasedWithKit: false,
    };
    const withKit = { ...base, offerOutcome: "ACCEPTED", declineReason: null, trainedOn: "2026-08-10", trainerType: "NALOXONE_LEAD", kitIssued: true, kitHeldIn: "PROPERTY", releasedWithKit: true };
    const days = ["2026-09-08", "2026-09-15", "2026-09-22"];
    for (const releaseDate of days) for (let k = 0; k < 3; k++) await app.gql(`mutation($input: PrisonReleaseInput!) { recordPrisonRelease(input: $input) { id } }`, { input: { ...base, releaseDate, idempotencyKey: `atk-${randomUUID()}` } }, lead);
    for (let k = 0; k < 12; k++) await app.gql(`mutation($input: PrisonReleaseInput!) { recordPrisonRelease(input: $input) { id } }`, { input: { ...withKit, releaseDate: `2026-09-${String(1 + 2 * k).padStart(2, "0")}`, idempotencyKey: `atk-${randomUUID()}` } }, lead);
    const probation = await app.token("PROB-NE", Role.ANALYST);
    let told = 0;
    for (const d of days) {
      const next = new Date(Date.parse(`${d}T00:00:00Z`) + 24 * 3600_000).toISOString().slice(0, 10);
      const r = await ask(COVERAGE, { filter: { prisonCodes: ["PRISON-5"], from: d, to: next } }, probation);
      const t = r?.prisonNaloxoneCoverage.total;
      if (t && nonZero(t.opioidUsersReleased) && t.releasedWithKit.count === 0) told++;
    }
    return told > 0;
  },

  /** A per-review taskforce row, matched to the one incident of its area and week, says the person is known to services. */
  async "taskforce rows: a review row tells the taskforce one person is known to a treatment service"() {
    const givenName = `Taskforcey${randomUUID().replace(/\d|-/g, "").slice(0, 5)}`;
    const occurredAt = "2026-10-07T11:00:00Z";
    const r = await app.gql(RECORD, { input: validForm({ areaCode: "SWP-BRIDGEND", occurredAt, person: { givenName, familyName: "Notrealperson", dateOfBirth: "1979-09-09" }, ambulanceCalledAt: null, ambulanceArrivedAt: null }) }, await app.token("SWP", Role.OFFICER));
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    await app.gql(`mutation($e: [CaseloadEntryInput!]!) { registerCaseload(entries: $e) { entries } }`, { e: [{ givenName, familyName: "Notrealperson", dateOfBirth: "1979-09-09" }] }, await app.token("TS-SWANSEA", Role.TREATMENT_WORKER));
    const hrl = await app.token("HRT-SW", Role.HARM_REDUCTION_LEAD);
    const [{ id }] = await app.ds.query(`SELECT id FROM review WHERE "incidentId" = $1`, [r.data!.recordNaloxoneAdministration.id]);
    await app.gql(`mutation($id: ID!) { runScreeningCheck(reviewId: $id) { identifiable } }`, { id }, hrl);
    const done = await app.gql(`mutation($id: ID!) { completeReview(id: $id, input: { actions: ["Reviewed"], shareWithTaskforce: true }) { status } }`, { id }, hrl);
    if (done.errors) throw new Error(JSON.stringify(done.errors));
    const d = await ask(TASKFORCE, {}, await app.token("DPT-SW", Role.ANALYST));
    return !!d?.taskforceSummaries.some((s: { areaCode: string; weekStarting: string; knownToServices: boolean }) => s.areaCode === "SWP-BRIDGEND" && s.weekStarting === "2026-10-05" && s.knownToServices);
  },
};

/**
 * Attacks that succeeded on main before issue 12 were marked it.failing here in the commit that
 * added this suite (c30dd73), so it stayed green while saying which: all but "totals minus parts".
 * Empty now: every attack must fail.
 */
const SUCCEEDED_ON_MAIN: string[] = [];

describe("the hostile analyst against every aggregate operation", () => {
  for (const [name, run] of Object.entries(attacks)) {
    (SUCCEEDED_ON_MAIN.includes(name) ? it.failing : it)(`${name}: recovers nothing`, async () => {
      tally.answered = 0;
      tally.refused = [];
      expect(await run()).toBe(false);
      if (process.env.ATTACK_LOG) console.log(name, tally.answered, [...new Set(tally.refused)]);
      // Every attack was answered, not merely refused (refusals are only ever BAD_USER_INPUT).
      expect(tally.answered).toBeGreaterThan(0);
      expect(tally.refused.every((r) => r.startsWith("BAD_USER_INPUT"))).toBe(true);
    }, 120_000);
  }

  it("was never shown a count from 1 to 7 in any answer", () => {
    expect(queries).toBeGreaterThan(100);
    expect(JSON.stringify(seen)).not.toMatch(/"count":[1-7]\b/);
  });
});
