import type { MigrationInterface, QueryRunner } from "typeorm";

export class Prisons1795240346819 implements MigrationInterface {
    name = 'Prisons1795240346819'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."point_of_offer" AS ENUM('INDUCTION', 'ASSESSMENT', 'CARE_OR_RECOVERY_PLANNING', 'PRE_RELEASE_CLINIC', 'OTHER')`);
        await queryRunner.query(`CREATE TYPE "public"."offer_outcome" AS ENUM('ACCEPTED', 'DECLINED', 'NOT_OFFERED')`);
        await queryRunner.query(`CREATE TYPE "public"."decline_reason" AS ENUM('AIMING_FOR_ABSTINENCE', 'FEAR_OF_WITHDRAWAL', 'FEAR_OF_POLICE_OR_PROBATION', 'CONFUSION_WITH_NALTREXONE', 'OTHER')`);
        await queryRunner.query(`CREATE TYPE "public"."trainer_type" AS ENUM('CLINICIAN_UNDER_PGD', 'NALOXONE_LEAD', 'PEER_MENTOR', 'NON_CLINICAL_STAFF')`);
        await queryRunner.query(`CREATE TYPE "public"."kit_held_in" AS ENUM('PROPERTY', 'VALUABLES')`);
        await queryRunner.query(`CREATE TYPE "public"."release_type" AS ENUM('RELEASED', 'TRANSFERRED', 'COURT')`);
        await queryRunner.query(`CREATE TABLE "prison_release" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agencyId" uuid NOT NULL, "idempotencyKey" character varying(100) NOT NULL, "requestHash" character varying(64) NOT NULL, "recordedBySub" character varying(128) NOT NULL, "opioidUseIdentified" boolean NOT NULL, "identifiedOn" date, "pointOfOffer" "public"."point_of_offer", "offerOutcome" "public"."offer_outcome" NOT NULL, "declineReason" "public"."decline_reason", "trainedOn" date, "trainerType" "public"."trainer_type", "kitIssued" boolean NOT NULL, "kitHeldIn" "public"."kit_held_in", "releaseDate" date NOT NULL, "releaseType" "public"."release_type" NOT NULL, "releasedWithKit" boolean NOT NULL, "recordedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_prison_release_idempotency" UNIQUE ("agencyId", "idempotencyKey"), CONSTRAINT "PK_8003294cc109924ca3c0dd97337" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_prison_release_agency_date" ON "prison_release"  ("agencyId", "releaseDate") `);
        await queryRunner.query(`ALTER TABLE "prison_release" ADD CONSTRAINT "FK_fbdb3a6141a724cf46ab41447aa" FOREIGN KEY ("agencyId") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "prison_release" DROP CONSTRAINT "FK_fbdb3a6141a724cf46ab41447aa"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_prison_release_agency_date"`);
        await queryRunner.query(`DROP TABLE "prison_release"`);
        await queryRunner.query(`DROP TYPE "public"."release_type"`);
        await queryRunner.query(`DROP TYPE "public"."kit_held_in"`);
        await queryRunner.query(`DROP TYPE "public"."trainer_type"`);
        await queryRunner.query(`DROP TYPE "public"."decline_reason"`);
        await queryRunner.query(`DROP TYPE "public"."offer_outcome"`);
        await queryRunner.query(`DROP TYPE "public"."point_of_offer"`);
    }

}
