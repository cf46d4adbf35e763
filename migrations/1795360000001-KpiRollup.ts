import type { MigrationInterface, QueryRunner } from "typeorm";

// The weekly KPI rollup (issue 14, item 7): every count the KPI statement takes over `incident`,
// with its record-key sum, and the ambulance response minutes as a histogram, per
// (ISO week start, area, recording agency, substance; '' = all substances). Kept exact by triggers
// in the writing transaction: each write appends signed delta rows (no upsert, so concurrent
// recordings never wait on a shared rollup row), and the `kpi-rollup-compact` job folds the deltas
// of a key into one row. A read sums whatever rows a key has, so it is exact before and after.
// Frozen copy of the columns at the time of writing (migrations do not import src/).

const FIRST_AID = ["Triedtowakeverbally", "Tiltedheadback", "Checkedbreathing", "Recoveryposition", "Chestcompressions", "Rescuebreaths", "Clearedairways", "Checkedpulse", "Checkedforresponse"].map((c) => `firstAid${c}`);

const KEY = [`"weekStart"`, `"areaCode"`, `"agencyId"`, `"substance"`];
/** [rollup column, condition over r (the incident row) or null for every row]; each has a count and a key sum. */
const COUNTED: Array<[string, string | null]> = [
  ["administrations", null],
  ["reversed", `r.outcome = 'CONSCIOUS_AND_RESPONSIVE'`],
  ["with_first_aid", FIRST_AID.map((c) => `r."${c}" IS TRUE`).join(" OR ")],
  ...FIRST_AID.map((c): [string, string] => [c, `r."${c}" IS TRUE`]),
  ["responses", `r."ambulanceResponseMinutes" IS NOT NULL`],
  ["over_target", `r."ambulanceResponseMinutes" > 7`],
  ["seen", `r."seenByParamedics" IS TRUE`],
  ["resupply", `r."resupplyNeeded" IS TRUE`],
];
/** Summed values: [rollup column, expression over r]. */
const SUMMED: Array<[string, string]> = [
  ["doses", `coalesce(r."dosesAdministered", 0)`],
  ["kits", `coalesce(r."kitsRequired", 0)`],
];
const VALUE_COLUMNS = [...COUNTED.flatMap(([c]) => [`"${c}"`, `"k_${c}"`]), ...SUMMED.map(([c]) => `"${c}"`)];
/** What an incident row contributes, times `sign`, in VALUE_COLUMNS order. */
const CONTRIBUTION = [
  ...COUNTED.flatMap(([, cond]) => (cond ? [`CASE WHEN ${cond} THEN sign ELSE 0 END`, `CASE WHEN ${cond} THEN sign * r."recordKey" ELSE 0 END`] : ["sign", `sign * r."recordKey"`])),
  ...SUMMED.map(([, e]) => `sign * ${e}`),
];
/** The incident columns the rollup depends on: an UPDATE touching none of them fires nothing. */
const WATCHED = ["occurredAt", "areaCode", "agencyId", "substances", "dosesAdministered", "outcome", "ambulanceResponseMinutes", "seenByParamedics", "resupplyNeeded", "kitsRequired", "recordKey", ...FIRST_AID];
const WEEK = (ts: string) => `date_trunc('week', ${ts} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
/** The substance keys of an incident row: '' (all) and each distinct substance it names. */
const SUBSTANCE_KEYS = `unnest(ARRAY[''] || ARRAY(SELECT DISTINCT x::text FROM unnest(r.substances) x ORDER BY 1))`;

export class KpiRollup1795360000001 implements MigrationInterface {
  name = "KpiRollup1795360000001";

  public async up(queryRunner: QueryRunner): Promise<void> {
    const keyCols = `"weekStart" TIMESTAMP WITH TIME ZONE NOT NULL, "areaCode" character varying(40) NOT NULL, "agencyId" uuid NOT NULL, "substance" text NOT NULL`;
    await queryRunner.query(`CREATE TABLE "kpi_rollup" (${keyCols}, ${VALUE_COLUMNS.map((c) => `${c} bigint NOT NULL`).join(", ")}, "compacted" boolean NOT NULL DEFAULT false)`);
    await queryRunner.query(`CREATE TABLE "kpi_rollup_minutes" (${keyCols}, "minutes" integer NOT NULL, "n" bigint NOT NULL, "compacted" boolean NOT NULL DEFAULT false)`);
    await queryRunner.query(`CREATE INDEX "IDX_kpi_rollup_agency" ON "kpi_rollup" ("substance", "agencyId", "weekStart")`);
    await queryRunner.query(`CREATE INDEX "IDX_kpi_rollup_area" ON "kpi_rollup" ("substance", "areaCode", "weekStart")`);
    await queryRunner.query(`CREATE INDEX "IDX_kpi_rollup_deltas" ON "kpi_rollup" (${KEY.join(", ")}) WHERE NOT "compacted"`);
    await queryRunner.query(`CREATE INDEX "IDX_kpi_rollup_minutes_agency" ON "kpi_rollup_minutes" ("substance", "agencyId", "weekStart")`);
    await queryRunner.query(`CREATE INDEX "IDX_kpi_rollup_minutes_area" ON "kpi_rollup_minutes" ("substance", "areaCode", "weekStart")`);
    await queryRunner.query(`CREATE INDEX "IDX_kpi_rollup_minutes_deltas" ON "kpi_rollup_minutes" (${KEY.join(", ")}, "minutes") WHERE NOT "compacted"`);

    await queryRunner.query(`CREATE FUNCTION kpi_rollup_apply(r incident, sign integer) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO kpi_rollup (${KEY.join(", ")}, ${VALUE_COLUMNS.join(", ")})
          SELECT ${WEEK(`r."occurredAt"`)}, r."areaCode", r."agencyId", s, ${CONTRIBUTION.join(", ")} FROM ${SUBSTANCE_KEYS} AS s;
        IF r."ambulanceResponseMinutes" IS NOT NULL THEN
          INSERT INTO kpi_rollup_minutes (${KEY.join(", ")}, "minutes", "n")
            SELECT ${WEEK(`r."occurredAt"`)}, r."areaCode", r."agencyId", s, r."ambulanceResponseMinutes", sign FROM ${SUBSTANCE_KEYS} AS s;
        END IF;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION kpi_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM kpi_rollup_apply(OLD, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM kpi_rollup_apply(NEW, 1); END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION kpi_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN TRUNCATE kpi_rollup, kpi_rollup_minutes; RETURN NULL; END $$`);
    await queryRunner.query(`CREATE TRIGGER kpi_rollup_insert AFTER INSERT ON incident FOR EACH ROW EXECUTE FUNCTION kpi_rollup_trigger()`);
    await queryRunner.query(`CREATE TRIGGER kpi_rollup_delete AFTER DELETE ON incident FOR EACH ROW EXECUTE FUNCTION kpi_rollup_trigger()`);
    // Retention's updates (location columns) are not in the list: the trigger does not fire for them.
    const watched = WATCHED.map((c) => `"${c}"`);
    await queryRunner.query(
      `CREATE TRIGGER kpi_rollup_update AFTER UPDATE OF ${watched.join(", ")} ON incident FOR EACH ROW
         WHEN ((${watched.map((c) => `OLD.${c}`).join(", ")}) IS DISTINCT FROM (${watched.map((c) => `NEW.${c}`).join(", ")}))
         EXECUTE FUNCTION kpi_rollup_trigger()`,
    );
    await queryRunner.query(`CREATE TRIGGER kpi_rollup_truncate AFTER TRUNCATE ON incident FOR EACH STATEMENT EXECUTE FUNCTION kpi_rollup_truncate()`);

    // Backfill, already compacted: one row per key.
    const sums = VALUE_COLUMNS.map((c, i) => `sum(${CONTRIBUTION[i].replace(/\bsign\b/g, "1")})`);
    await queryRunner.query(
      `INSERT INTO kpi_rollup (${KEY.join(", ")}, ${VALUE_COLUMNS.join(", ")}, "compacted")
         SELECT ${WEEK(`r."occurredAt"`)}, r."areaCode", r."agencyId", s, ${sums.join(", ")}, true
           FROM incident r, LATERAL ${SUBSTANCE_KEYS} AS s GROUP BY 1, 2, 3, 4`,
    );
    await queryRunner.query(
      `INSERT INTO kpi_rollup_minutes (${KEY.join(", ")}, "minutes", "n", "compacted")
         SELECT ${WEEK(`r."occurredAt"`)}, r."areaCode", r."agencyId", s, r."ambulanceResponseMinutes", count(*), true
           FROM incident r, LATERAL ${SUBSTANCE_KEYS} AS s WHERE r."ambulanceResponseMinutes" IS NOT NULL GROUP BY 1, 2, 3, 4, 5`,
    );
    await queryRunner.query(`ANALYZE kpi_rollup`);
    await queryRunner.query(`ANALYZE kpi_rollup_minutes`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ["kpi_rollup_insert", "kpi_rollup_delete", "kpi_rollup_update", "kpi_rollup_truncate"]) await queryRunner.query(`DROP TRIGGER "${t}" ON incident`);
    await queryRunner.query(`DROP FUNCTION kpi_rollup_truncate()`);
    await queryRunner.query(`DROP FUNCTION kpi_rollup_trigger()`);
    await queryRunner.query(`DROP FUNCTION kpi_rollup_apply(incident, integer)`);
    await queryRunner.query(`DROP TABLE "kpi_rollup_minutes"`);
    await queryRunner.query(`DROP TABLE "kpi_rollup"`);
  }
}
