import type { MigrationInterface, QueryRunner } from "typeorm";

export class ReviewAssignees1795240612874 implements MigrationInterface {
    name = 'ReviewAssignees1795240612874'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "review" ADD "reviewerSub" character varying(128)`);
        await queryRunner.query(`ALTER TABLE "review" ADD "caseCoordinatorSub" character varying(128)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "review" DROP COLUMN "caseCoordinatorSub"`);
        await queryRunner.query(`ALTER TABLE "review" DROP COLUMN "reviewerSub"`);
    }

}
