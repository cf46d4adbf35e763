import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Role } from "../../src/core/auth/roles";
import { signToken } from "../../src/core/auth/tokens";
import { loadConfig } from "../../src/core/config";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/db";
import { RECORD, validForm } from "../helpers/forms";
import { auditLogState, BUSY_SEALER, gql, killHard, prepareDatabase, sleep, startHub, type HubProcess } from "./hub-process";

/**
 * kill -9 the hub in the middle of a burst of 1,000 recordNaloxoneAdministration calls from clients
 * that retry with the same idempotency key until they get an answer, restarting the hub on the same
 * database and port. Afterwards: exactly 1,000 incidents, one INCIDENT_RECORDED audit row each.
 * The hub's sealer runs all along, sealing every 50 ms a few rows at a time, so the kills land in
 * the middle of seals too: afterwards no audit row is lost, none is sealed twice, and every signed
 * checkpoint is consistent with the next.
 */
const TOTAL = 1000;

/** `npm run audit:verify -- --url URL --checkpoint FILE`, from dist/ (built by npm run test:faults). */
function auditVerify(url: string, file: string) {
  const r = spawnSync(process.execPath, [path.join(__dirname, "../../dist/src/scripts/audit-verify.js"), "--url", url, "--checkpoint", file], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout + r.stderr };
}
const CLIENTS = 16;
const KILL_AFTER = [250, 650]; // answered requests before each kill -9

let db: TestDatabase;
let hub: HubProcess | null = null;
beforeAll(async () => {
  db = await createTestDatabase();
  await prepareDatabase(db.url);
});
afterAll(async () => {
  if (hub) await killHard(hub);
  await db?.drop();
});

describe("kill -9 during a burst of retried recordings", () => {
  it("ends with exactly 1,000 incidents and one INCIDENT_RECORDED audit row each: none duplicated, none lost", async () => {
    const config = loadConfig({ NODE_ENV: "development" });
    const token = await signToken(config, { sub: "pc-burst", agency: "CLE", roles: [Role.OFFICER], collarNumber: "7001" }, 3600);
    const forms = Array.from({ length: TOTAL }, (_, i) =>
      validForm({ idempotencyKey: `burst-${String(i).padStart(4, "0")}`, areaCode: "CLE-STOCKTON", person: { givenName: "Bursty", familyName: "Testperson", dateOfBirth: "1980-02-02" } }),
    );
    hub = await startHub(db.url, undefined, BUSY_SEALER);
    const port = hub.port;
    const url = hub.url;
    // A partner keeps the log's head before the burst, with the verifier partners run (the built CLI).
    const headFile = path.join(mkdtempSync(path.join(os.tmpdir(), "nh-witness-")), "head.txt");
    const before = auditVerify(url, headFile);
    expect(before.status).toBe(0);
    expect(before.stdout).toMatch(/no kept checkpoint: keeping this one/);

    const answered = new Map<string, string>(); // key -> incident id, as the client saw it
    let failedAttempts = 0;
    const badAnswers: string[] = [];
    let next = 0;
    const client = async () => {
      while (next < TOTAL) {
        const form = forms[next++];
        for (let attempt = 0; ; attempt++) {
          if (attempt > 400) throw new Error(`gave up on ${form.idempotencyKey}`);
          try {
            const r = await gql(url, token, RECORD, { input: form }, AbortSignal.timeout(10_000));
            const id = r.body?.data?.recordNaloxoneAdministration?.id;
            if (id) {
              answered.set(form.idempotencyKey, id);
              break;
            }
            // An answer that is not a success must still be a clean one (a contract code, no stack).
            const code = r.body?.errors?.[0]?.extensions?.code;
            if (!code || /stack|node_modules/.test(r.text)) badAnswers.push(r.text.slice(0, 300));
            if (code && !["INTERNAL_SERVER_ERROR", "RATE_LIMITED"].includes(code)) badAnswers.push(`${form.idempotencyKey}: ${code}`);
          } catch {
            // connection refused or reset: the hub is down; retry the same key
          }
          failedAttempts++;
          await sleep(50 + Math.random() * 100);
        }
      }
    };

    const killer = async () => {
      for (const threshold of KILL_AFTER) {
        while (answered.size < threshold) await sleep(20);
        await killHard(hub!);
        await sleep(300); // clients keep retrying against a dead port meanwhile
        hub = await startHub(db.url, port, BUSY_SEALER);
      }
    };

    const started = Date.now();
    await Promise.all([...Array.from({ length: CLIENTS }, client), killer()]);
    const seconds = (Date.now() - started) / 1000;

    expect(badAnswers).toEqual([]);
    expect(answered.size).toBe(TOTAL);
    expect(failedAttempts).toBeGreaterThan(0); // the kills really interrupted the burst

    const ds = await connect(db.url);
    try {
      const [{ incidents, keys }] = await ds.query(`SELECT count(*)::int AS incidents, count(DISTINCT "idempotencyKey")::int AS keys FROM incident`);
      expect({ incidents, keys }).toEqual({ incidents: TOTAL, keys: TOTAL });
      const audit = await ds.query(
        `SELECT count(*)::int AS rows, count(DISTINCT "entityId")::int AS incidents, max(n)::int AS most FROM (SELECT "entityId", count(*) OVER (PARTITION BY "entityId") AS n FROM audit_event WHERE action = 'INCIDENT_RECORDED') a`,
      );
      expect(audit[0]).toEqual({ rows: TOTAL, incidents: TOTAL, most: 1 });
      // Every audit row names a real incident, and every answer the clients got names the stored incident for its key.
      const [{ orphans }] = await ds.query(`SELECT count(*)::int AS orphans FROM audit_event a WHERE action = 'INCIDENT_RECORDED' AND NOT EXISTS (SELECT 1 FROM incident i WHERE i.id::text = a."entityId")`);
      expect(orphans).toBe(0);
      const stored: Array<{ idempotencyKey: string; id: string }> = await ds.query(`SELECT "idempotencyKey", id FROM incident`);
      const mismatched = stored.filter((r) => answered.get(r.idempotencyKey) !== r.id);
      expect(mismatched).toEqual([]);
      expect((await ds.query(`SELECT * FROM audit_chain_first_break()`)).length).toBe(0);
    } finally {
      await ds.destroy();
    }
    // The partner's verifier, after two kill -9 of hub and sealer: the log only grew from the head it kept.
    const after = auditVerify(url, headFile);
    expect(after.stdout).toMatch(/consistent with the kept checkpoint \(size \d+ -> \d+\)/);
    expect(after.status).toBe(0);
    const log = await auditLogState(db.url);
    expect(log.intact).toBe(true);
    expect(log.sealed).toEqual({ rows: log.rows, distinct: log.rows, max: log.rows });
    expect(log.checkpoints).toBeGreaterThan(10);
    expect(log.inconsistent).toEqual([]);
    process.stdout.write(`kill -9 burst: audit log ${log.rows} rows, ${log.checkpoints} checkpoints, all consistent\n`);
    process.stdout.write(`kill -9 burst: ${TOTAL} recordings, ${KILL_AFTER.length} kills, ${failedAttempts} failed attempts retried, ${seconds.toFixed(1)} s\n`);
  }, 170_000);
});
