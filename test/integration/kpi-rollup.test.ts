import { createTestApp, type TestApp } from "../helpers/app";
import { compactKpiRollup, rollupKpiRow, type KpiScope } from "../../src/modules/aggregates/kpi-rollup";
import { plainKpiRow } from "../../src/modules/aggregates/kpi.service";
import { WEEK_MS, weekStartOf } from "../../src/modules/aggregates/period.policy";

// The weekly rollup (kept by triggers, folded by the compaction job) gives exactly the figures of
// the plain statement over incident, percentiles included, for any filter the KPIs take: on
// generated data, after updates and deletes, after retention's location erasure, before and after
// compaction.

let app: TestApp;
let forces: Array<{ id: string; code: string; areaCodes: string[] }>;
let substances: string[];
let rand: () => number;
const end = weekStartOf(new Date());
const WEEKS = 30;
const start = new Date(end.getTime() - WEEKS * WEEK_MS);

/** mulberry32: a seeded generator, so a failure repeats. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

beforeAll(async () => {
  app = await createTestApp();
  rand = seeded(14_7);
  await app.ds.query(`SELECT setseed(0.147)`);
  forces = await app.ds.query(`SELECT id, code, "areaCodes" FROM agency WHERE kind = 'POLICE_FORCE' AND cardinality("areaCodes") > 0 ORDER BY code LIMIT 4`);
  substances = (await app.ds.query(`SELECT unnest(enum_range(NULL::substance))::text AS s`)).map((r: { s: string }) => r.s);
  const [person] = await app.ds.query(`INSERT INTO person ("createdByAgencyId") VALUES ($1) RETURNING id`, [forces[0].id]);
  // 3,000 incidents over the 30 weeks (the laterals name g so they are drawn per row) (some a moment either side of a week boundary), random in
  // every counted column: nullable minutes and first aid, 0 to 3 substances (a repeat included).
  const pairs = forces.flatMap((f) => f.areaCodes.slice(0, 3).map((a) => [f.id, a]));
  await app.ds.query(
    `INSERT INTO incident ("agencyId", "idempotencyKey", "requestHash", "recordedBySub", "occurredAt", "areaCode", "personId", substances, outcome,
        "dosesAdministered", "ambulanceResponseMinutes", "seenByParamedics", "resupplyNeeded", "kitsRequired",
        "firstAidTriedtowakeverbally", "firstAidTiltedheadback", "firstAidCheckedbreathing", "firstAidRecoveryposition",
        "firstAidChestcompressions", "firstAidRescuebreaths", "firstAidClearedairways", "firstAidCheckedpulse", "firstAidCheckedforresponse", lat, lng)
     SELECT (p->>0)::uuid, 'rollup-' || g, 'h', 'rollup-test', o, p->>1, $1,
            ARRAY(SELECT s FROM unnest($3::substance[]) s WHERE random() < 0.2) || CASE WHEN random() < 0.05 THEN ($3::substance[])[1:1] ELSE '{}' END,
            (enum_range(NULL::outcome))[1 + floor(random() * 5)::int], 1 + floor(random() * 3)::int,
            CASE WHEN random() < 0.3 THEN NULL ELSE floor(random() * 25)::int END, random() < 0.5, random() < 0.4,
            CASE WHEN random() < 0.5 THEN NULL ELSE floor(random() * 4)::int END,
            random() < 0.5, random() < 0.5, random() < 0.5, random() < 0.5, random() < 0.5, random() < 0.5, random() < 0.5, random() < 0.5,
            CASE WHEN random() < 0.3 THEN NULL ELSE random() < 0.5 END, 51.5, -3.2
       FROM generate_series(1, 3000) g,
            LATERAL (SELECT $2::jsonb -> (floor(random() * jsonb_array_length($2::jsonb))::int + g * 0) AS p) pp,
            LATERAL (SELECT CASE WHEN random() + g * 0 < 0.05 THEN $4::timestamptz + floor(random() * ${WEEKS})::int * interval '7 days' + (CASE WHEN random() < 0.5 THEN interval '-1 ms' ELSE interval '0' END)
                                 ELSE $4::timestamptz + random() * interval '${WEEKS * 7} days' END AS o) oo
      WHERE o >= $4::timestamptz AND o < $5::timestamptz`,
    [person.id, JSON.stringify(pairs), substances, start, end],
  );
});
afterAll(() => app.close());

function randomScope(): KpiScope {
  const a = Math.floor(rand() * WEEKS);
  const b = a + 1 + Math.floor(rand() * (WEEKS - a));
  const scope: KpiScope = { period: { from: new Date(start.getTime() + a * WEEK_MS), to: new Date(start.getTime() + b * WEEK_MS) } };
  const force = pick(forces);
  const r = rand();
  if (r < 0.3) scope.agencyCodes = [force.code];
  else if (r < 0.55) scope.areaCodes = [pick(force.areaCodes.slice(0, 3))];
  else if (r < 0.7) scope.areaCodes = force.areaCodes;
  else if (r < 0.85) {
    scope.agencyCodes = [force.code];
    scope.areaCodes = force.areaCodes;
  }
  if (rand() < 0.5) scope.substances = [pick(substances)];
  return scope;
}

async function expectEqualOn(scopes: number): Promise<number> {
  let nonEmpty = 0;
  for (let k = 0; k < scopes; k++) {
    const scope = randomScope();
    const { population, ...rolled } = await rollupKpiRow(app.ds, scope);
    const plain = await plainKpiRow(app.ds, scope);
    expect({ scope, row: rolled }).toEqual({ scope, row: plain });
    const [pop] = await app.ds.query(
      `SELECT count(*)::int AS n FROM incident i WHERE "occurredAt" >= $1 AND "occurredAt" < $2 AND ($3::text[] IS NULL OR "areaCode" = ANY($3)) AND ($4::text[] IS NULL OR "agencyId" IN (SELECT id FROM agency WHERE code = ANY($4)))`,
      [scope.period.from, scope.period.to, scope.areaCodes ?? null, scope.agencyCodes ?? null],
    );
    expect(population).toBe(pop.n);
    if (plain.administrations > 0 && plain.median !== null) nonEmpty++;
  }
  return nonEmpty;
}

it("equals the plain statement for random filters on generated data", async () => {
  const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM incident WHERE "recordedBySub" = 'rollup-test'`);
  expect(n).toBeGreaterThan(2500);
  // Most scopes are not empty and have a median, so the comparison says something.
  expect(await expectEqualOn(150)).toBeGreaterThan(75);
});

it("stays equal after updates, deletes and compaction; retention's updates append nothing", async () => {
  const ids: string[] = (await app.ds.query(`SELECT id FROM incident WHERE "recordedBySub" = 'rollup-test' ORDER BY id`)).map((r: { id: string }) => r.id);
  const some = (share: number) => ids.filter(() => rand() < share);
  await app.ds.query(`UPDATE incident SET "occurredAt" = "occurredAt" + interval '3 days' WHERE id = ANY($1) AND "occurredAt" < $2`, [some(0.05), new Date(end.getTime() - 4 * 86_400_000)]);
  await app.ds.query(`UPDATE incident SET "ambulanceResponseMinutes" = CASE WHEN random() < 0.2 THEN NULL ELSE floor(random() * 40)::int END WHERE id = ANY($1)`, [some(0.05)]);
  await app.ds.query(`UPDATE incident SET substances = ARRAY[$2::substance], outcome = 'DIED', "firstAidCheckedforresponse" = NULL WHERE id = ANY($1)`, [some(0.05), pick(substances)]);
  await app.ds.query(`UPDATE incident SET "areaCode" = $2, "agencyId" = $3, "kitsRequired" = 7, "recordKey" = hub_record_key() WHERE id = ANY($1)`, [some(0.03), forces[1].areaCodes[0], forces[1].id]);
  await app.ds.query(`DELETE FROM incident WHERE id = ANY($1)`, [some(0.05)]);
  const deltas = async () => Number((await app.ds.query(`SELECT (SELECT count(*) FROM kpi_rollup WHERE NOT compacted) + (SELECT count(*) FROM kpi_rollup_minutes WHERE NOT compacted) AS n`))[0].n);
  const before = await deltas();
  expect(before).toBeGreaterThan(0);
  // An update of no counted column (what retention does), or one that sets a counted column to its value: no delta row.
  await app.ds.query(`UPDATE incident SET lat = NULL, lng = NULL, h3r5 = NULL, "locationErasedAt" = now() WHERE "recordedBySub" = 'rollup-test'`);
  await app.ds.query(`UPDATE incident SET outcome = outcome, substances = substances WHERE "recordedBySub" = 'rollup-test'`);
  expect(await deltas()).toBe(before);
  await expectEqualOn(100);
  expect(await compactKpiRollup(app.ds)).toBeGreaterThan(0);
  expect(await deltas()).toBe(0);
  // One row per key after compaction.
  const [dupes] = await app.ds.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM kpi_rollup GROUP BY "weekStart", "areaCode", "agencyId", substance HAVING count(*) > 1) d`);
  expect(dupes.n).toBe(0);
  await expectEqualOn(100);
});

it("is kept in the writing transaction: a rolled-back write leaves it unchanged", async () => {
  const scope: KpiScope = { period: { from: start, to: end }, agencyCodes: [forces[0].code] };
  const before = await rollupKpiRow(app.ds, scope);
  const runner = app.ds.createQueryRunner();
  await runner.startTransaction();
  await runner.query(`DELETE FROM incident WHERE "agencyId" = $1 AND "recordedBySub" = 'rollup-test'`, [forces[0].id]);
  await runner.rollbackTransaction();
  await runner.release();
  expect(await rollupKpiRow(app.ds, scope)).toEqual(before);
  expect(before.administrations).toBeGreaterThan(0);
});
