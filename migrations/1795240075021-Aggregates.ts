import type { MigrationInterface, QueryRunner } from "typeorm";

export class Aggregates1795240075021 implements MigrationInterface {
    name = 'Aggregates1795240075021'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."spike_window" AS ENUM('HOURS_24', 'HOURS_72')`);
        await queryRunner.query(`CREATE TABLE "spike_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "areaCode" character varying(40) NOT NULL, "h3" character varying(16), "window" "public"."spike_window" NOT NULL, "openedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "closedAt" TIMESTAMP WITH TIME ZONE, "lastEvaluatedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "count" integer NOT NULL, "peakCount" integer NOT NULL, "baselineCount" integer NOT NULL, "expected" double precision NOT NULL, "pValue" double precision NOT NULL, CONSTRAINT "PK_f474523b9ede9a54b45902c82ae" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_spike_alert_area_opened" ON "spike_alert"  ("areaCode", "openedAt") `);
        // By hand (declared on the entity with synchronize: false): one open episode per area, cell and
        // window; area-wide alerts have a null cell, hence NULLS NOT DISTINCT (PostgreSQL 15+).
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_spike_alert_open_episode" ON "spike_alert" ("areaCode", "h3", "window") NULLS NOT DISTINCT WHERE "closedAt" IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."UQ_spike_alert_open_episode"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_spike_alert_area_opened"`);
        await queryRunner.query(`DROP TABLE "spike_alert"`);
        await queryRunner.query(`DROP TYPE "public"."spike_window"`);
    }

}
