import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Record keys for the cell-key method (docs/disclosure.md): every record an aggregate counts gets a
 * random key fixed at insert by a column default, so every writer (services, bulk loads, seeds)
 * gets one without knowing about it. 31 random bits from gen_random_uuid() (a v4 UUID's first
 * 8 hex digits are random). Existing rows get their own keys as the column is added.
 */
const TABLES = ["incident", "prison_release", "referral", "review", "consent", "taskforce_summary"];

export class RecordKeys1795300000001 implements MigrationInterface {
    name = 'RecordKeys1795300000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE FUNCTION hub_record_key() RETURNS integer LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
            SELECT (('x' || left(gen_random_uuid()::text, 8))::bit(32)::int & 2147483647) $$`);
        for (const t of TABLES) await queryRunner.query(`ALTER TABLE "${t}" ADD "recordKey" integer NOT NULL DEFAULT hub_record_key()`);
        // The review a taskforce summary came from, so a per-review row is shown only while the
        // person's consent covers TASKFORCE_REVIEW for that taskforce. Never in the API.
        await queryRunner.query(`ALTER TABLE "taskforce_summary" ADD "reviewId" uuid`);
        await queryRunner.query(`ALTER TABLE "taskforce_summary" ADD CONSTRAINT "FK_taskforce_summary_review" FOREIGN KEY ("reviewId") REFERENCES "review"("id") ON DELETE RESTRICT`);
        // Spike alerts: the key sums of the window's and the baseline's incidents at the last check.
        await queryRunner.query(`ALTER TABLE "spike_alert" ADD "countKeySum" bigint NOT NULL DEFAULT 0`);
        await queryRunner.query(`ALTER TABLE "spike_alert" ADD "baselineKeySum" bigint NOT NULL DEFAULT 0`);
        // The heat map's (cell, time) indexes carry the record key, so a map stays an index-only scan.
        for (const r of [5, 6, 7, 8, 9]) {
            await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r${r}_time"`);
            await queryRunner.query(`CREATE INDEX "IDX_incident_h3r${r}_time" ON "incident" ("h3r${r}", "occurredAt") INCLUDE ("recordKey")`);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const r of [5, 6, 7, 8, 9]) {
            await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r${r}_time"`);
            await queryRunner.query(`CREATE INDEX "IDX_incident_h3r${r}_time" ON "incident" ("h3r${r}", "occurredAt")`);
        }
        await queryRunner.query(`ALTER TABLE "spike_alert" DROP COLUMN "baselineKeySum"`);
        await queryRunner.query(`ALTER TABLE "spike_alert" DROP COLUMN "countKeySum"`);
        await queryRunner.query(`ALTER TABLE "taskforce_summary" DROP CONSTRAINT "FK_taskforce_summary_review"`);
        await queryRunner.query(`ALTER TABLE "taskforce_summary" DROP COLUMN "reviewId"`);
        for (const t of TABLES) await queryRunner.query(`ALTER TABLE "${t}" DROP COLUMN "recordKey"`);
        await queryRunner.query(`DROP FUNCTION hub_record_key()`);
    }
}
