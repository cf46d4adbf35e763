import type { MigrationInterface, QueryRunner } from "typeorm";

/** Retention: when a person's identifying data and an incident's precise location were erased. */
export class Retention1795350000001 implements MigrationInterface {
  name = "Retention1795350000001";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person" ADD "erasedAt" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "incident" ADD "locationErasedAt" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "locationErasedAt"`);
    await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "erasedAt"`);
  }
}
