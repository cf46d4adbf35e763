import type { MigrationInterface, QueryRunner } from "typeorm";

export class Recording1795238295683 implements MigrationInterface {
    name = 'Recording1795238295683'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."gender" AS ENUM('FEMALE', 'MALE', 'OTHER', 'UNKNOWN')`);
        await queryRunner.query(`CREATE TABLE "person" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "identityKey" character varying(64), "givenName" character varying(100), "familyName" character varying(100), "dateOfBirth" date, "ageYears" integer, "gender" "public"."gender", "createdByAgencyId" uuid NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5fdaf670315c4b7e70cce85daa3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_person_identity_key" ON "person"  ("identityKey") WHERE "identityKey" IS NOT NULL`);
        await queryRunner.query(`CREATE TYPE "public"."substance" AS ENUM('HEROIN', 'METHADONE', 'FENTANYL', 'NITAZENES', 'OTHER_SYNTHETIC_OPIOID', 'OTHER_OPIOID', 'BENZODIAZEPINES', 'XYLAZINE', 'COCAINE', 'ALCOHOL', 'OTHER')`);
        await queryRunner.query(`CREATE TYPE "public"."outcome" AS ENUM('CONSCIOUS_AND_RESPONSIVE', 'UNCONSCIOUS', 'NON_RESPONSIVE', 'DIED', 'UNKNOWN')`);
        await queryRunner.query(`CREATE TYPE "public"."disposition" AS ENUM('CONVEYED_TO_HOSPITAL', 'LEFT_BEFORE_AMBULANCE', 'REFUSED_CONVEYANCE', 'TREATED_ON_SCENE', 'UNKNOWN')`);
        await queryRunner.query(`CREATE TABLE "incident" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agencyId" uuid NOT NULL, "idempotencyKey" character varying(100) NOT NULL, "requestHash" character varying(64) NOT NULL, "recordedBySub" character varying(128) NOT NULL, "occurredAt" TIMESTAMP WITH TIME ZONE NOT NULL, "areaCode" character varying(40) NOT NULL, "lat" double precision, "lng" double precision, "h3r5" character varying(16), "h3r6" character varying(16), "h3r7" character varying(16), "h3r8" character varying(16), "h3r9" character varying(16), "personId" uuid NOT NULL, "substances" "public"."substance" array NOT NULL DEFAULT '{}', "dosesAdministered" integer NOT NULL, "outcome" "public"."outcome" NOT NULL, "ambulanceCalledAt" TIMESTAMP WITH TIME ZONE, "ambulanceArrivedAt" TIMESTAMP WITH TIME ZONE, "ambulanceResponseMinutes" integer, "seenByParamedics" boolean NOT NULL, "resupplyNeeded" boolean NOT NULL, "kitsRequired" integer, "paraphernaliaPresent" boolean, "disposition" "public"."disposition", "officerCollarNumber" character varying(20), "recordedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "firstAidTriedtowakeverbally" boolean NOT NULL, "firstAidTiltedheadback" boolean NOT NULL, "firstAidCheckedbreathing" boolean NOT NULL, "firstAidRecoveryposition" boolean NOT NULL, "firstAidChestcompressions" boolean NOT NULL, "firstAidRescuebreaths" boolean NOT NULL, "firstAidClearedairways" boolean NOT NULL, "firstAidCheckedpulse" boolean NOT NULL, "firstAidCheckedforresponse" boolean, CONSTRAINT "UQ_incident_idempotency" UNIQUE ("agencyId", "idempotencyKey"), CONSTRAINT "PK_5f90b28b0b8238d89ee8edcf96e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r9" ON "incident"  ("h3r9") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_h3r7" ON "incident"  ("h3r7") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_person" ON "incident"  ("personId") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_area_occurred" ON "incident"  ("areaCode", "occurredAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_incident_agency_occurred" ON "incident"  ("agencyId", "occurredAt", "id") `);
        await queryRunner.query(`CREATE TABLE "handover" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incidentId" uuid NOT NULL, "agencyId" uuid NOT NULL, "idempotencyKey" character varying(100) NOT NULL, "requestHash" character varying(64) NOT NULL, "recordedBySub" character varying(128) NOT NULL, "cadReference" character varying(40), "handedOverAt" TIMESTAMP WITH TIME ZONE NOT NULL, "patientCondition" character varying(1000), "circumstances" character varying(2000), "accompanyingPeople" integer, "dosesGivenBeforeArrival" integer, "officerCollarNumber" character varying(20), "conveyedToHospital" boolean, "refusedCare" boolean, "recordedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_handover_idempotency" UNIQUE ("agencyId", "idempotencyKey"), CONSTRAINT "PK_15e64c0391cf9fb9278f297691f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_handover_agency_incident" ON "handover"  ("agencyId", "incidentId") `);
        await queryRunner.query(`CREATE INDEX "IDX_handover_incident" ON "handover"  ("incidentId") `);
        await queryRunner.query(`ALTER TABLE "person" ADD CONSTRAINT "FK_30525d798949c3bee78057f26c4" FOREIGN KEY ("createdByAgencyId") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incident" ADD CONSTRAINT "FK_51124cb6a3b9c9a7c32e3527115" FOREIGN KEY ("agencyId") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "incident" ADD CONSTRAINT "FK_10dda29081c58b42a1067c32f29" FOREIGN KEY ("personId") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "handover" ADD CONSTRAINT "FK_be2c3d8bdc954f50b82115be32d" FOREIGN KEY ("incidentId") REFERENCES "incident"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "handover" ADD CONSTRAINT "FK_ebc659d7c960b955c7af0916730" FOREIGN KEY ("agencyId") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "handover" DROP CONSTRAINT "FK_ebc659d7c960b955c7af0916730"`);
        await queryRunner.query(`ALTER TABLE "handover" DROP CONSTRAINT "FK_be2c3d8bdc954f50b82115be32d"`);
        await queryRunner.query(`ALTER TABLE "incident" DROP CONSTRAINT "FK_10dda29081c58b42a1067c32f29"`);
        await queryRunner.query(`ALTER TABLE "incident" DROP CONSTRAINT "FK_51124cb6a3b9c9a7c32e3527115"`);
        await queryRunner.query(`ALTER TABLE "person" DROP CONSTRAINT "FK_30525d798949c3bee78057f26c4"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_handover_incident"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_handover_agency_incident"`);
        await queryRunner.query(`DROP TABLE "handover"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_agency_occurred"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_area_occurred"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_person"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r7"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_h3r9"`);
        await queryRunner.query(`DROP TABLE "incident"`);
        await queryRunner.query(`DROP TYPE "public"."disposition"`);
        await queryRunner.query(`DROP TYPE "public"."outcome"`);
        await queryRunner.query(`DROP TYPE "public"."substance"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_person_identity_key"`);
        await queryRunner.query(`DROP TABLE "person"`);
        await queryRunner.query(`DROP TYPE "public"."gender"`);
    }

}
