import type { DataSource } from "typeorm";
import { writeAudit } from "../../src/core/audit/audit";
import { AgencyKind, Role } from "../../src/core/auth/roles";
import type { Actor } from "../../src/core/auth/actor";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/db";

let db: TestDatabase;
let ds: DataSource;
beforeAll(async () => {
  db = await createTestDatabase();
  ds = await connect(db.url);
});
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

const actor: Actor = {
  sub: "auditor-test",
  agency: { id: "00000000-0000-0000-0000-000000000000", code: "HUB", kind: AgencyKind.HUB_OPERATOR, areaCodes: [] },
  roles: [Role.ADMIN],
  collarNumber: null,
  requestId: "req-12345678",
};

describe("migrations", () => {
  it("leave no drift between the entities and the database", async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it("start a database with only the hub operator agency", async () => {
    expect(await ds.query(`SELECT code, kind FROM agency`)).toEqual([{ code: "HUB", kind: "HUB_OPERATOR" }]);
  });
});

describe("audit log", () => {
  beforeAll(async () => {
    await ds.transaction((m) =>
      writeAudit(m, actor, [
        { action: "TEST_ONE", entityType: "Test", entityId: "1" },
        { action: "TEST_TWO", entityType: "Test", entityId: "2", fields: ["givenName"], detail: { n: 2 } },
      ]),
    );
    await ds.transaction((m) => writeAudit(m, actor, { action: "TEST_THREE", entityType: "Test" }));
  });

  it("chains every row to the previous one", async () => {
    const rows = await ds.query(`SELECT "chainSeq"::int AS seq, "prevHash", hash FROM audit_event ORDER BY "chainSeq"`);
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0].prevHash).toBe("0".repeat(64));
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(rows[2].prevHash).toBe(rows[1].hash);
    expect(await ds.query(`SELECT * FROM audit_chain_first_break()`)).toEqual([]);
  });

  it.each([
    ["UPDATE", `UPDATE audit_event SET action = 'FORGED'`],
    ["DELETE", `DELETE FROM audit_event`],
    ["TRUNCATE", `TRUNCATE audit_event`],
  ])("refuses %s", async (_n, sql) => {
    await expect(ds.query(sql)).rejects.toThrow(/append-only/);
    expect(Number((await ds.query(`SELECT count(*) n FROM audit_event`))[0].n)).toBe(3);
  });

  it("finds a row altered behind the trigger's back", async () => {
    await ds.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change`);
      await m.query(`UPDATE audit_event SET "actorSub" = 'someone-else' WHERE "chainSeq" = 2`);
      await m.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change`);
    });
    expect(await ds.query(`SELECT chain_seq::int, reason FROM audit_chain_first_break()`)).toEqual([
      { chain_seq: 2, reason: "row content does not match its hash" },
    ]);
  });
});
