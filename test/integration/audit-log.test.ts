import { createPublicKey } from "node:crypto";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { writeAudit } from "../../src/core/audit/audit";
import { verifyConsistency, verifyInclusion } from "../../src/core/audit/merkle";
import { openNote, parseCheckpoint } from "../../src/core/audit/note";
import { sealAuditLog } from "../../src/core/audit/sealer";
import { witnessAuditLog } from "../../src/core/audit/witness";
import { AgencyKind, Role } from "../../src/core/auth/roles";
import type { Actor } from "../../src/core/auth/actor";
import { sealEverything } from "../helpers/seal";
import { createTestApp, type TestApp } from "../helpers/app";
import { connect } from "../helpers/db";
import { RECORD, validForm } from "../helpers/forms";

let app: TestApp;
let auditor: string;
const actor: Actor = {
  sub: "auditlog-test",
  agency: { id: "00000000-0000-0000-0000-000000000000", code: "HUB", kind: AgencyKind.HUB_OPERATOR, areaCodes: [] },
  roles: [Role.ADMIN],
  collarNumber: null,
  requestId: "req-auditlog-1",
};
beforeAll(async () => {
  app = await createTestApp();
  auditor = await app.token("HUB", Role.AUDITOR, { sub: "auditor-merkle" });
});
afterAll(() => app.close());

const seal = () => sealAuditLog({ config: app.config, dataSource: app.ds });
const unsealedRows = async () => (await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE "chainSeq" IS NULL`))[0].n as number;
const sealAll = () => sealEverything(app.config, app.ds);
const write = (n: number, tag: string) =>
  app.ds.transaction((m) => writeAudit(m, actor, Array.from({ length: n }, (_, i) => ({ action: "TEST_ROW", entityType: "Test", entityId: `${tag}-${i}` }))));
const publicKey = async () => createPublicKey((await request(app.hub.app).get("/audit/public-key")).text);
const head = async () => {
  const note = (await request(app.hub.app).get("/audit/checkpoint")).text;
  return { note, ...parseCheckpoint(openNote(note, note.slice(0, note.indexOf("\n")), await publicKey())) };
};

describe("sealing", () => {
  it("never skips a row whose transaction commits late, and never seals past a running transaction", async () => {
    await sealAll();
    const before = (await head()).size;
    const late = app.ds.createQueryRunner();
    await late.startTransaction();
    try {
      await writeAudit(late.manager, actor, { action: "TEST_LATE", entityType: "Test" });
      await write(3, "after-late"); // committed, but its transaction began after the late one's
      const r = await seal();
      expect(r.sealed).toBe(0); // below the horizon only: the open transaction holds it back
      const [{ unsealed }] = await app.ds.query(`SELECT count(*)::int AS unsealed FROM audit_event WHERE "chainSeq" IS NULL`);
      expect(unsealed).toBe(3);
      await late.commitTransaction();
    } finally {
      await late.release();
    }
    expect(await sealAll()).toBe(4);
    const rows = await app.ds.query(`SELECT action, "chainSeq"::int AS seq FROM audit_event WHERE "chainSeq" > $1 ORDER BY "chainSeq"`, [before]);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(["TEST_LATE", "TEST_ROW", "TEST_ROW", "TEST_ROW"]);
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual([before + 1, before + 2, before + 3, before + 4]);
  });

  it("with writers and five sealers racing (two connection pools): every row sealed exactly once, contiguous, every checkpoint consistent with the next", async () => {
    const other = await connect(app.db.url);
    try {
      await sealAll();
      const start = (await head()).size;
      let writing = true;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 15; i++) await write(1 + (i % 3), `race-${w}-${i}`);
      });
      const sealers = Array.from({ length: 5 }, async (_, s) => {
        const ds = s % 2 === 0 ? app.ds : other;
        while (writing) await sealAuditLog({ config: app.config, dataSource: ds });
      });
      await Promise.all(writers);
      writing = false;
      await Promise.all(sealers);
      await sealAll();
      expect(await unsealedRows()).toBe(0);
      const [{ n, seqs, max }] = await app.ds.query(`SELECT count(*)::int AS n, count(DISTINCT "chainSeq")::int AS seqs, max("chainSeq")::int AS max FROM audit_event`);
      expect({ seqs, max }).toEqual({ seqs: n, max: n });
      expect(n - start).toBe(4 * (5 * 1 + 5 * 2 + 5 * 3));
      const cps: Array<{ size: number; root: Buffer }> = (await app.ds.query(`SELECT "treeSize"::int AS size, "rootHash" AS root FROM audit_checkpoint ORDER BY "treeSize"`)).map(
        (c: { size: number; root: Buffer }) => c,
      );
      expect(cps.length).toBeGreaterThan(2);
      for (let i = 1; i < cps.length; i++) {
        const r = await app.gql(`query($a: Int!, $b: Int!) { auditConsistencyProof(fromSize: $a, toSize: $b) }`, { a: cps[i - 1].size, b: cps[i].size }, auditor);
        const proof = r.data!.auditConsistencyProof.map((h: string) => Buffer.from(h, "hex"));
        expect(verifyConsistency(cps[i - 1].size, cps[i].size, cps[i - 1].root, cps[i].root, proof)).toBe(true);
      }
    } finally {
      await other.destroy();
    }
  });
});

describe("for auditors and witnesses", () => {
  it("a recording's audit rows get inclusion proofs that verify against the signed checkpoint", async () => {
    const officer = await app.token("DUR", Role.OFFICER, { collarNumber: "1234" });
    const rec = await app.gql(RECORD, { input: validForm() }, officer);
    expect(rec.errors).toBeUndefined();
    await sealAll();
    const cp = await app.gql(`{ auditCheckpoint { treeSize rootHash signedAt note keyName } }`, {}, auditor);
    const c = cp.data!.auditCheckpoint;
    const opened = parseCheckpoint(openNote(c.note, c.keyName, await publicKey()));
    expect(opened).toMatchObject({ origin: c.keyName, size: c.treeSize });
    expect(opened.rootHash.toString("hex")).toBe(c.rootHash);
    expect(opened.extensions).toEqual([`time ${Math.floor(new Date(c.signedAt).getTime() / 1000)}`]);
    const rows = await app.ds.query(`SELECT "chainSeq"::int AS seq, hash FROM audit_event WHERE "entityId" = $1 OR "requestId" IS NOT NULL ORDER BY "chainSeq" DESC LIMIT 5`, [rec.data!.recordNaloxoneAdministration.id]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const r = await app.gql(`query($s: Int!, $t: Int!) { auditInclusionProof(seq: $s, treeSize: $t) }`, { s: row.seq, t: c.treeSize }, auditor);
      const proof = r.data!.auditInclusionProof.map((h: string) => Buffer.from(h, "hex"));
      expect(verifyInclusion(row.seq - 1, c.treeSize, Buffer.from(row.hash, "hex"), proof, Buffer.from(c.rootHash, "hex"))).toBe(true);
      expect(verifyInclusion(row.seq - 1, c.treeSize, Buffer.from(row.hash, "hex"), proof.slice(1), Buffer.from(c.rootHash, "hex"))).toBe(false);
    }
    const events = await app.gql(`{ auditEvents(first: 3) { edges { node { seq action } } } }`, {}, auditor);
    expect(events.data!.auditEvents.edges[0].node.seq).toBeGreaterThan(0);
  });

  it("refuses proofs of sizes the log has not signed, naming the argument", async () => {
    const { size } = await head();
    const bad = [
      [`{ auditInclusionProof(seq: 0, treeSize: 1) }`, "seq"],
      [`{ auditInclusionProof(seq: 1, treeSize: ${size + 1}) }`, "treeSize"],
      [`{ auditConsistencyProof(fromSize: 3, toSize: 2) }`, "fromSize"],
      [`{ auditConsistencyProof(fromSize: 1, toSize: ${size + 1}) }`, "toSize"],
    ] as const;
    for (const [q, field] of bad) {
      const r = await app.gql(q, {}, auditor);
      expect(r.errors![0].extensions.code).toBe("BAD_USER_INPUT");
      expect(r.errors![0].message).toMatch(new RegExp(`^${field}:`));
    }
  });

  it("gives the checkpoint and proofs to auditors only; GET /audit/checkpoint and /audit/public-key need no token and hold no row", async () => {
    for (const [agency, role] of [["DUR", Role.OFFICER], ["HUB", Role.ADMIN], ["PH-ENG", Role.ANALYST]] as const) {
      const t = await app.token(agency, role);
      for (const q of [`{ auditCheckpoint { treeSize } }`, `{ auditInclusionProof(seq: 1, treeSize: 1) }`, `{ auditConsistencyProof(fromSize: 1, toSize: 1) }`]) {
        const r = await app.gql(q, {}, t);
        expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
      }
    }
    const cp = await request(app.hub.app).get("/audit/checkpoint");
    expect(cp.status).toBe(200);
    expect(cp.headers["content-type"]).toMatch(/^text\/plain/);
    expect(cp.text.split("\n").length).toBe(7); // origin, size, root, time, blank, signature, end
    expect(cp.text).not.toMatch(/Testy|McFakeperson|auditlog-test|DUR/);
    const key = await request(app.hub.app).get("/audit/public-key");
    expect(key.text).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(key.headers["x-audit-verifier-key"]).toMatch(/^naloxone-hub\.invalid\/audit-log\+[0-9a-f]{8}\+A/);
    const proof = await request(app.hub.app).get(`/audit/consistency?from=1&to=${(await head()).size}`);
    expect(proof.status).toBe(200);
    expect(Object.keys(proof.body)).toEqual(["fromSize", "toSize", "proof", "rowsRoot"]);
    expect((await request(app.hub.app).get(`/audit/consistency?from=x&to=1`)).status).toBe(400);
  });

  it("reports the seal lag on /readyz and in verifyAuditChain", async () => {
    await sealAll();
    const ok = await app.gql(`{ verifyAuditChain { intact rowsChecked sealedThrough unsealed sealLagSeconds checkpointsChecked } }`, {}, auditor);
    const v = ok.data!.verifyAuditChain;
    expect(v).toMatchObject({ intact: true, unsealed: 0, sealLagSeconds: 0 });
    expect(v.sealedThrough).toBe((await head()).size);
    expect(v.rowsChecked).toBe(v.sealedThrough);
    expect(v.checkpointsChecked).toBeGreaterThan(2);
    const ready = await request(app.hub.app).get("/readyz");
    expect(ready.body).toEqual({ status: "ready", detail: { auditSeal: { lagSeconds: 0, maxSealDelaySeconds: 5, withinMaxDelay: true } } });
    // A row waiting longer than the stated maximum (its "at" set back in time, as a stuck sealer would leave it).
    await app.ds.transaction(async (m) => {
      await writeAudit(m, actor, { action: "TEST_WAITING", entityType: "Test" });
      await m.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change`);
      await m.query(`UPDATE audit_event SET at = now() - interval '30 seconds' WHERE action = 'TEST_WAITING'`);
      await m.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change`);
    });
    const late = await request(app.hub.app).get("/readyz");
    expect(late.status).toBe(200);
    expect(late.body.detail.auditSeal.withinMaxDelay).toBe(false);
    expect(late.body.detail.auditSeal.lagSeconds).toBeGreaterThan(29);
    const lagging = await app.gql(`{ verifyAuditChain { unsealed sealLagSeconds } }`, {}, auditor);
    expect(lagging.data!.verifyAuditChain.unsealed).toBe(1);
    expect(lagging.data!.verifyAuditChain.sealLagSeconds).toBeGreaterThan(29);
    await sealAll();
  });
});

describe("tampering behind the triggers' back", () => {
  const behindTriggers = (sql: string) =>
    app.ds.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change`);
      await m.query(sql);
      await m.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change`);
    });

  it("audit:verify keeps a head, accepts the log's growth, then finds an altered row and a deleted one; verifyAuditChain names them", async () => {
    await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", () => resolve()));
    const url = `http://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}`;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "nh-witness-")), "head.txt");
    try {
      const first = await witnessAuditLog({ url, checkpointFile: file });
      expect(first.ok).toBe(true);
      expect(first.lines.join("\n")).toMatch(/no kept checkpoint: keeping this one/);
      const kept = first.checkpoint!.size;

      await write(7, "grown");
      await sealAll();
      const grown = await witnessAuditLog({ url, checkpointFile: file });
      expect(grown.lines.join("\n")).toMatch(new RegExp(`consistent with the kept checkpoint \\(size ${kept} -> ${kept + 7}\\)`));
      expect(grown.ok).toBe(true);

      // An older head kept elsewhere, then a row it covers is altered.
      const older = path.join(path.dirname(file), "older.txt");
      require("node:fs").copyFileSync(file, older);
      require("node:fs").copyFileSync(`${file}.key.pem`, `${older}.key.pem`);
      await write(2, "grown-again");
      await sealAll();
      const [{ actorSub }] = await app.ds.query(`SELECT "actorSub" FROM audit_event WHERE "chainSeq" = 3`);
      await behindTriggers(`UPDATE audit_event SET "actorSub" = 'someone-else' WHERE "chainSeq" = 3`);
      const altered = await witnessAuditLog({ url, checkpointFile: older });
      expect(altered.ok).toBe(false);
      expect(altered.lines.at(-1)).toMatch(/NOT consistent with its signed checkpoint/);
      // The same head kept, the log not grown since: still found (the root is recomputed from the rows).
      const same = await witnessAuditLog({ url, checkpointFile: file });
      expect(same.ok).toBe(false);
      const v = await app.gql(`{ verifyAuditChain { intact firstBrokenSeq reason } }`, {}, auditor);
      expect(v.data!.verifyAuditChain).toEqual({ intact: false, firstBrokenSeq: "3", reason: "row content does not match its hash" });
      await app.ds.transaction(async (m) => {
        await m.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change`);
        await m.query(`UPDATE audit_event SET "actorSub" = $1 WHERE "chainSeq" = 3`, [actorSub]);
        await m.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change`);
      });
      expect((await app.gql(`{ verifyAuditChain { intact } }`, {}, auditor)).data!.verifyAuditChain.intact).toBe(true);

      // A row deleted.
      await behindTriggers(`DELETE FROM audit_event WHERE "chainSeq" = 4`);
      const deleted = await witnessAuditLog({ url, checkpointFile: older });
      expect(deleted.ok).toBe(false);
      expect(deleted.lines.at(-1)).toMatch(/no consistency proof .*HTTP 409.*row 4 is missing/);
      const d = await app.gql(`{ verifyAuditChain { intact firstBrokenSeq reason } }`, {}, auditor);
      expect(d.data!.verifyAuditChain).toEqual({ intact: false, firstBrokenSeq: "4", reason: "a row at this position is missing" });
      const g = await app.gql(`{ auditConsistencyProof(fromSize: 2, toSize: 5) }`, {}, auditor);
      expect(g.errors![0].extensions.code).toBe("CONFLICT");
    } finally {
      await new Promise<void>((resolve) => app.hub.httpServer.close(() => resolve()));
    }
  });

  it("audit:verify refuses a checkpoint whose signature is not the log's", async () => {
    await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", () => resolve()));
    const url = `http://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}`;
    const { generateKeyPairSync } = require("node:crypto") as typeof import("node:crypto");
    const dir = mkdtempSync(path.join(os.tmpdir(), "nh-witness-"));
    const keyFile = path.join(dir, "other.pem");
    require("node:fs").writeFileSync(keyFile, generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }));
    try {
      const r = await witnessAuditLog({ url, publicKeyFile: keyFile });
      expect(r.ok).toBe(false);
      expect(r.lines.at(-1)).toMatch(/FAILED: the latest checkpoint: no signature by the log's key/);
    } finally {
      await new Promise<void>((resolve) => app.hub.httpServer.close(() => resolve()));
    }
  });
});
