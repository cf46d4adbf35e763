import type { MigrationInterface, QueryRunner } from "typeorm";

export class PrisonReleasePerson1795242495323 implements MigrationInterface {
    name = 'PrisonReleasePerson1795242495323'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "prison_release" ADD "personId" uuid`);
        await queryRunner.query(`CREATE INDEX "IDX_prison_release_person" ON "prison_release"  ("personId") `);
        await queryRunner.query(`ALTER TABLE "prison_release" ADD CONSTRAINT "FK_1fecbbbca333280584bc0d9ede6" FOREIGN KEY ("personId") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "prison_release" DROP CONSTRAINT "FK_1fecbbbca333280584bc0d9ede6"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_prison_release_person"`);
        await queryRunner.query(`ALTER TABLE "prison_release" DROP COLUMN "personId"`);
    }

}
