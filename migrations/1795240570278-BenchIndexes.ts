import type { MigrationInterface, QueryRunner } from "typeorm";

export class BenchIndexes1795240570278 implements MigrationInterface {
    name = 'BenchIndexes1795240570278'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Cells with time: a heat map over a period is an index-only scan of (cell, time), already in
        // cell order for the GROUP BY, instead of a scan of the wide incident rows; lookups by cell use
        // the same index, so the single-column cell indexes go.
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r9"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r7"`);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r5_time" ON "incident"  ("h3r5", "occurredAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r6_time" ON "incident"  ("h3r6", "occurredAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r7_time" ON "incident"  ("h3r7", "occurredAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r8_time" ON "incident"  ("h3r8", "occurredAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r9_time" ON "incident"  ("h3r9", "occurredAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_referral_inbox_due" ON "referral"  ("toAgencyId", "dueAt", "id") `);
        // By hand (declared on the entities with synchronize: false).
        // Incidents arrive roughly in time order, so a BRIN range index on the time column is tiny
        // (a few pages for millions of rows) and lets period aggregates skip the blocks outside the period.
        await queryRunner.query(`CREATE INDEX "IDX_incident_occurred_brin" ON "incident" USING brin ("occurredAt") WITH (pages_per_range = 32)`);
        // Every identifying read loads the person's access facts (recording agencies, areas, incident ids
        // for handovers) by person: covering them makes that an index-only scan. Replaces the plain index.
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_person"`);
        await queryRunner.query(`CREATE INDEX "IDX_incident_person_cover" ON "incident" ("personId") INCLUDE ("id", "agencyId", "areaCode")`);
        // The reminder sweep looks for open reviews by due time across every agency.
        await queryRunner.query(`CREATE INDEX "IDX_review_open_due" ON "review" ("dueAt") WHERE status = 'OPEN'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_review_open_due"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_person_cover"`);
        await queryRunner.query(`CREATE INDEX "IDX_incident_person" ON "incident"  ("personId") `);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_occurred_brin"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_referral_inbox_due"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r9_time"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r8_time"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r7_time"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r6_time"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r5_time"`);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r7" ON "incident"  ("h3r7") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r9" ON "incident"  ("h3r9") `);
    }
}
