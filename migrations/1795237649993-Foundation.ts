import type { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795237649993 implements MigrationInterface {
    name = 'Foundation1795237649993'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."agency_kind" AS ENUM('HUB_OPERATOR', 'POLICE_FORCE', 'AMBULANCE_SERVICE', 'TREATMENT_SERVICE', 'HARM_REDUCTION_TEAM', 'MASH', 'PRISON', 'PUBLIC_HEALTH', 'TASKFORCE', 'PROBATION')`);
        await queryRunner.query(`CREATE TYPE "public"."provision_status" AS ENUM('ONGOING', 'PILOTING', 'AGREED_NOT_IMPLEMENTED', 'COMMITTED_TO_PILOT', 'NONE')`);
        await queryRunner.query(`CREATE TABLE "agency" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32) NOT NULL, "name" character varying(200) NOT NULL, "kind" "public"."agency_kind" NOT NULL, "areaCodes" text array NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true, "adderArea" character varying(100), "provisionStatus" "public"."provision_status", "officersTrained" integer, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ab1244724d1c216e9720635a2e5" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_fbda24d0286deca69d0b8d30f1" ON "agency"  ("code") `);
        await queryRunner.query(`CREATE TABLE "audit_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "requestId" character varying(64), "actorSub" character varying(128), "actorAgencyCode" character varying(32), "actorRoles" text array NOT NULL DEFAULT '{}', "action" character varying(64) NOT NULL, "entityType" character varying(40) NOT NULL, "entityId" character varying(64), "personId" uuid, "purpose" character varying(40), "basis" character varying(80), "fields" text array NOT NULL DEFAULT '{}', "detail" jsonb NOT NULL DEFAULT '{}', "chainSeq" bigint NOT NULL, "prevHash" character varying(64) NOT NULL, "hash" character varying(64) NOT NULL, CONSTRAINT "UQ_723e655bce33885bb2f53d03e20" UNIQUE ("chainSeq"), CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_audit_event_at" ON "audit_event"  ("at") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_event_person" ON "audit_event"  ("personId", "at") `);
        await queryRunner.query(`CREATE TYPE "public"."pathway" AS ENUM('SEVENTY_TWO_HOUR_REVIEW', 'NFO_COORDINATOR', 'MASH_SAFEGUARDING', 'DIRECT_TREATMENT')`);
        await queryRunner.query(`CREATE TABLE "route" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "areaCode" character varying(40) NOT NULL, "pathway" "public"."pathway" NOT NULL, "targetAgencyId" uuid NOT NULL, "slaHours" integer NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_route_area_pathway" UNIQUE ("areaCode", "pathway"), CONSTRAINT "PK_08affcd076e46415e5821acf52d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "route" ADD CONSTRAINT "FK_d6f3fce2aa9043f84976e4401c1" FOREIGN KEY ("targetAgencyId") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

        // The audit log is append-only and tamper-evident. A BEFORE INSERT trigger assigns each row
        // its place in a hash chain under a transaction-scoped advisory lock (ids can commit out of
        // order; chainSeq cannot). Time enters the hash as epoch seconds, independent of TimeZone.
        await queryRunner.query(`CREATE FUNCTION audit_event_payload(e audit_event) RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT concat_ws('|', e.id::text, extract(epoch from e.at)::text, coalesce(e."requestId", '-'), coalesce(e."actorSub", '-'),
              coalesce(e."actorAgencyCode", '-'), array_to_string(e."actorRoles", ','), e.action, e."entityType", coalesce(e."entityId", '-'),
              coalesce(e."personId"::text, '-'), coalesce(e.purpose, '-'), coalesce(e.basis, '-'), array_to_string(e.fields, ','),
              e.detail::text, e."chainSeq"::text)
        $$`);
        await queryRunner.query(`CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE last record;
            BEGIN
              PERFORM pg_advisory_xact_lock(4723190001);
              SELECT "chainSeq", hash INTO last FROM audit_event ORDER BY "chainSeq" DESC LIMIT 1;
              NEW."chainSeq" := COALESCE(last."chainSeq", 0) + 1;
              NEW."prevHash" := COALESCE(last.hash, repeat('0', 64));
              NEW.hash := encode(sha256(convert_to(NEW."prevHash" || '|' || audit_event_payload(NEW), 'UTF8')), 'hex');
              RETURN NEW;
            END $$`);
        await queryRunner.query(`CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain()`);
        await queryRunner.query(`CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`);
        await queryRunner.query(`CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`);
        await queryRunner.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`);
        // The first broken link of the chain, if any (empty when the log is intact).
        await queryRunner.query(`CREATE FUNCTION audit_chain_first_break() RETURNS TABLE(chain_seq bigint, reason text) LANGUAGE sql STABLE AS $$
            SELECT s, r FROM (
              SELECT e."chainSeq" AS s,
                CASE
                  WHEN e."chainSeq" <> row_number() OVER w THEN 'a row before this one is missing'
                  WHEN e."prevHash" <> COALESCE(lag(e.hash) OVER w, repeat('0', 64)) THEN 'prevHash does not match the previous row'
                  WHEN e.hash <> encode(sha256(convert_to(e."prevHash" || '|' || audit_event_payload(e), 'UTF8')), 'hex') THEN 'row content does not match its hash'
                END AS r
              FROM audit_event e WINDOW w AS (ORDER BY e."chainSeq")
            ) x WHERE r IS NOT NULL ORDER BY s LIMIT 1
        $$`);
        // The hub operator exists in every database; everything else is configuration or demo data.
        await queryRunner.query(`INSERT INTO agency (code, name, kind) VALUES ('HUB', 'Naloxone Hub operator', 'HUB_OPERATOR')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP FUNCTION audit_chain_first_break()`);
        await queryRunner.query(`DROP TRIGGER audit_event_no_truncate ON audit_event`);
        await queryRunner.query(`DROP TRIGGER audit_event_no_change ON audit_event`);
        await queryRunner.query(`DROP TRIGGER audit_event_chain ON audit_event`);
        await queryRunner.query(`DROP FUNCTION audit_event_refuse_change()`);
        await queryRunner.query(`DROP FUNCTION audit_event_chain()`);
        await queryRunner.query(`DROP FUNCTION audit_event_payload(audit_event)`);
        await queryRunner.query(`ALTER TABLE "route" DROP CONSTRAINT "FK_d6f3fce2aa9043f84976e4401c1"`);
        await queryRunner.query(`DROP TABLE "route"`);
        await queryRunner.query(`DROP TYPE "public"."pathway"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_person"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_at"`);
        await queryRunner.query(`DROP TABLE "audit_event"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_fbda24d0286deca69d0b8d30f1"`);
        await queryRunner.query(`DROP TABLE "agency"`);
        await queryRunner.query(`DROP TYPE "public"."provision_status"`);
        await queryRunner.query(`DROP TYPE "public"."agency_kind"`);
    }

}
