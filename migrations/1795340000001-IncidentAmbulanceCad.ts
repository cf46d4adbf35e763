import type { MigrationInterface, QueryRunner } from "typeorm";

/** The ambulance CAD reference an officer may note on the form: how a paramedic finds the incident. */
export class IncidentAmbulanceCad1795340000001 implements MigrationInterface {
    name = 'IncidentAmbulanceCad1795340000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "incident" ADD "ambulanceCadReference" character varying(40)`);
        await queryRunner.query(`CREATE INDEX "IDX_incident_ambulance_cad" ON "incident" ("ambulanceCadReference") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_incident_ambulance_cad"`);
        await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "ambulanceCadReference"`);
    }
}
