import type { MigrationInterface, QueryRunner } from "typeorm";

export class Consent1795238757181 implements MigrationInterface {
    name = 'Consent1795238757181'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."consent_decision" AS ENUM('GIVEN', 'REFUSED')`);
        await queryRunner.query(`CREATE TYPE "public"."purpose" AS ENUM('TREATMENT_REFERRAL', 'HARM_REDUCTION_REVIEW', 'SAFEGUARDING', 'TASKFORCE_REVIEW')`);
        await queryRunner.query(`CREATE TYPE "public"."consent_method" AS ENUM('VERBAL', 'WRITTEN', 'ELECTRONIC')`);
        await queryRunner.query(`CREATE TABLE "consent" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "personId" uuid NOT NULL, "incidentId" uuid, "decision" "public"."consent_decision" NOT NULL, "purposes" "public"."purpose" array NOT NULL, "recipientKinds" "public"."agency_kind" array NOT NULL DEFAULT '{}', "recipientAgencyCodes" text array NOT NULL DEFAULT '{}', "method" "public"."consent_method" NOT NULL, "obtainedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "expiresAt" TIMESTAMP WITH TIME ZONE, "recordedByAgencyId" uuid NOT NULL, "recordedBySub" character varying(128) NOT NULL, "recordedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "withdrawnAt" TIMESTAMP WITH TIME ZONE, "withdrawnByAgencyId" uuid, "withdrawalReason" character varying(500), CONSTRAINT "PK_9115e8d6b082d4fc46d56134d29" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_consent_person" ON "consent"  ("personId", "obtainedAt") `);
        await queryRunner.query(`CREATE TYPE "public"."emergency_basis" AS ENUM('VITAL_INTERESTS', 'SAFEGUARDING')`);
        await queryRunner.query(`CREATE TYPE "public"."grant_review_outcome" AS ENUM('APPROPRIATE', 'INAPPROPRIATE')`);
        await queryRunner.query(`CREATE TABLE "access_grant" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "personId" uuid NOT NULL, "agencyId" uuid NOT NULL, "grantedToSub" character varying(128) NOT NULL, "basis" "public"."emergency_basis" NOT NULL, "justification" character varying(2000) NOT NULL, "grantedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expiresAt" TIMESTAMP WITH TIME ZONE NOT NULL, "reviewedAt" TIMESTAMP WITH TIME ZONE, "reviewedBySub" character varying(128), "reviewOutcome" "public"."grant_review_outcome", "reviewNote" character varying(2000), CONSTRAINT "PK_2c12ba789e7748324e87e103a41" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_access_grant_review" ON "access_grant"  ("reviewedAt", "grantedAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_access_grant_person" ON "access_grant"  ("personId", "expiresAt") `);
        await queryRunner.query(`ALTER TABLE "consent" ADD CONSTRAINT "FK_8a70bb2425554aac72ebd57e138" FOREIGN KEY ("personId") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "consent" ADD CONSTRAINT "FK_99b7aab119a52d5200b9b762e45" FOREIGN KEY ("recordedByAgencyId") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "access_grant" ADD CONSTRAINT "FK_6108d049bd6faefc9a72c96b84d" FOREIGN KEY ("personId") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "access_grant" ADD CONSTRAINT "FK_c7ecb79619fdca7877162e09e79" FOREIGN KEY ("agencyId") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "access_grant" DROP CONSTRAINT "FK_c7ecb79619fdca7877162e09e79"`);
        await queryRunner.query(`ALTER TABLE "access_grant" DROP CONSTRAINT "FK_6108d049bd6faefc9a72c96b84d"`);
        await queryRunner.query(`ALTER TABLE "consent" DROP CONSTRAINT "FK_99b7aab119a52d5200b9b762e45"`);
        await queryRunner.query(`ALTER TABLE "consent" DROP CONSTRAINT "FK_8a70bb2425554aac72ebd57e138"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_access_grant_person"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_access_grant_review"`);
        await queryRunner.query(`DROP TABLE "access_grant"`);
        await queryRunner.query(`DROP TYPE "public"."grant_review_outcome"`);
        await queryRunner.query(`DROP TYPE "public"."emergency_basis"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_consent_person"`);
        await queryRunner.query(`DROP TABLE "consent"`);
        await queryRunner.query(`DROP TYPE "public"."consent_method"`);
        await queryRunner.query(`DROP TYPE "public"."purpose"`);
        await queryRunner.query(`DROP TYPE "public"."consent_decision"`);
    }

}
