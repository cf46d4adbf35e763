import type { DataSource } from "typeorm";
import { sealEverything } from "../helpers/seal";
import { writeAudit } from "../../src/core/audit/audit";
import { sealAuditLog } from "../../src/core/audit/sealer";
import { loadConfig } from "../../src/core/config";
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
  const config = loadConfig({ NODE_ENV: "test" });
  beforeAll(async () => {
    await ds.transaction((m) =>
      writeAudit(m, actor, [
        { action: "TEST_ONE", entityType: "Test", entityId: "1" },
        { action: "TEST_TWO", entityType: "Test", entityId: "2", fields: ["givenName"], detail: { n: 2 } },
      ]),
    );
    await ds.transaction((m) => writeAudit(m, actor, { action: "TEST_THREE", entityType: "Test" }));
  });

  it("appends rows unsealed, stamped with their transaction, and takes no lock doing it", async () => {
    const rows = await ds.query(`SELECT "chainSeq", hash, txid::text AS txid FROM audit_event ORDER BY id`);
    expect(rows.map((r: { chainSeq: unknown; hash: unknown }) => [r.chainSeq, r.hash])).toEqual([[null, null], [null, null], [null, null]]);
    expect(rows[0].txid).toBe(rows[1].txid);
    expect(Number(rows[2].txid)).toBeGreaterThan(Number(rows[0].txid));
    // No trigger on audit_event takes a lock: an insert inside an open transaction holds no advisory lock.
    const qr = ds.createQueryRunner();
    await qr.startTransaction();
    try {
      await writeAudit(qr.manager, actor, { action: "TEST_LOCKLESS", entityType: "Test" });
      const [{ n }] = await qr.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`);
      expect(n).toBe(0);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  });

  it("a client cannot choose its row's place: txid and the seal columns are set by the trigger", async () => {
    await ds.query(`INSERT INTO audit_event (action, "entityType", txid, "chainSeq", hash) VALUES ('TEST_FORGE', 'Test', 1, 1, 'x')`);
    const [r] = await ds.query(`SELECT txid::text AS txid, "chainSeq", hash FROM audit_event WHERE action = 'TEST_FORGE'`);
    expect(r.chainSeq).toBeNull();
    expect(r.hash).toBeNull();
    expect(Number(r.txid)).toBeGreaterThan(1);
  });

  it("seals the rows in commit order with contiguous sequence numbers and RFC 6962 leaf hashes", async () => {
    expect(await sealEverything(config, ds)).toBe(4);
    const rows = await ds.query(`SELECT "chainSeq"::int AS seq, action, hash, encode(sha256('\\x00'::bytea || convert_to(audit_event_payload(e), 'UTF8')), 'hex') AS leaf FROM audit_event e ORDER BY "chainSeq"`);
    expect(rows.map((x: { seq: number; action: string }) => [x.seq, x.action])).toEqual([[1, "TEST_ONE"], [2, "TEST_TWO"], [3, "TEST_THREE"], [4, "TEST_FORGE"]]);
    for (const x of rows) expect(x.hash).toBe(x.leaf);
    expect(await ds.query(`SELECT * FROM audit_chain_first_break()`)).toEqual([]);
    expect(await sealAuditLog({ config, dataSource: ds })).toEqual({ ran: true, sealed: 0, treeSize: 4 });
  });

  it.each([
    ["UPDATE", `UPDATE audit_event SET action = 'FORGED'`],
    ["DELETE", `DELETE FROM audit_event`],
    ["TRUNCATE", `TRUNCATE audit_event`],
    ["UPDATE of the tree", `UPDATE audit_tree_node SET hash = '\\x00'`],
    ["DELETE of a checkpoint", `DELETE FROM audit_checkpoint`],
    ["TRUNCATE of the checkpoints", `TRUNCATE audit_checkpoint`],
  ])("refuses %s", async (_n, sql) => {
    await expect(ds.query(sql)).rejects.toThrow(/append-only/);
    expect(Number((await ds.query(`SELECT count(*) n FROM audit_event`))[0].n)).toBe(4);
  });

  it("refuses sealing outside the sealer, sealing twice, and a seal that changes a row", async () => {
    await ds.transaction((m) => writeAudit(m, actor, { action: "TEST_FIVE", entityType: "Test" }));
    await expect(ds.query(`UPDATE audit_event SET "chainSeq" = 5 WHERE action = 'TEST_FIVE'`)).rejects.toThrow(/append-only/);
    await expect(
      ds.transaction(async (m) => {
        await m.query(`SET LOCAL naloxone.audit_sealing = 'on'`);
        await m.query(`UPDATE audit_event SET "chainSeq" = 5, action = 'FORGED' WHERE action = 'TEST_FIVE'`);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(
      ds.transaction(async (m) => {
        await m.query(`SET LOCAL naloxone.audit_sealing = 'on'`);
        await m.query(`UPDATE audit_event SET "chainSeq" = 99 WHERE action = 'TEST_ONE'`);
      }),
    ).rejects.toThrow(/append-only/);
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
