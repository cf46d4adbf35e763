import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The audit log without a lock on insert: rows are appended with their transaction's id and no
 * chaining; a sealer (src/core/audit/sealer.ts, one at a time across hub processes) later gives the
 * committed rows below the transaction horizon contiguous sequence numbers, their RFC 6962 leaf
 * hashes, integrates them into a Merkle tree (audit_tree_node) and signs a checkpoint
 * (audit_checkpoint). UPDATE, DELETE and TRUNCATE stay refused, except the sealer's one-time
 * setting of "chainSeq" and "hash" on an unsealed row, whose content it cannot change.
 *
 * Rows written before this migration are unsealed here and sealed again, in id order, by the
 * first seal (their old hash chain is replaced by the tree).
 */
export class MerkleAuditLog1795320000001 implements MigrationInterface {
  name = "MerkleAuditLog1795320000001";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_event_chain ON audit_event`);
    await q.query(`DROP FUNCTION audit_event_chain()`);
    await q.query(`DROP FUNCTION audit_chain_first_break()`);
    await q.query(`ALTER TABLE audit_event ADD COLUMN "txid" bigint`);
    await q.query(`ALTER TABLE audit_event ALTER COLUMN "chainSeq" DROP NOT NULL, ALTER COLUMN "prevHash" DROP NOT NULL, ALTER COLUMN "hash" DROP NOT NULL`);
    await q.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change`);
    await q.query(`UPDATE audit_event SET "txid" = 0, "chainSeq" = NULL, "prevHash" = NULL, "hash" = NULL`);
    await q.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change`);
    await q.query(`ALTER TABLE audit_event ALTER COLUMN "txid" SET NOT NULL`);

    // The inserting transaction's id, always (a client cannot choose it): the sealer takes only rows
    // whose transaction lies below every running one, so a late commit is sealed later, never skipped.
    await q.query(`CREATE FUNCTION audit_event_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW."txid" := pg_current_xact_id()::text::bigint;
          NEW."chainSeq" := NULL; NEW."prevHash" := NULL; NEW."hash" := NULL;
          RETURN NEW;
        END $$`);
    await q.query(`CREATE TRIGGER audit_event_stamp BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_stamp()`);
    await q.query(`CREATE INDEX "IDX_audit_event_unsealed" ON audit_event ("txid", "id") INCLUDE ("at") WHERE "chainSeq" IS NULL`);

    // The leaf: SHA-256(0x00 || UTF-8 of the row's canonical text, which includes its sequence number).
    await q.query(`CREATE FUNCTION audit_leaf_hash(e audit_event) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
        SELECT sha256('\\x00'::bytea || convert_to(audit_event_payload(e), 'UTF8'))
    $$`);

    // Append-only, except sealing: an unsealed row may get its sequence number once, inside a seal
    // (the sealer sets naloxone.audit_sealing), its content unchanged; the hash is computed here.
    await q.query(`CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND OLD."chainSeq" IS NULL AND NEW."chainSeq" IS NOT NULL
             AND current_setting('naloxone.audit_sealing', true) = 'on'
             AND (OLD.id, OLD.at, OLD."requestId", OLD."actorSub", OLD."actorAgencyCode", OLD."actorRoles", OLD.action, OLD."entityType",
                  OLD."entityId", OLD."personId", OLD.purpose, OLD.basis, OLD.fields, OLD.detail, OLD."txid")
                 IS NOT DISTINCT FROM
                 (NEW.id, NEW.at, NEW."requestId", NEW."actorSub", NEW."actorAgencyCode", NEW."actorRoles", NEW.action, NEW."entityType",
                  NEW."entityId", NEW."personId", NEW.purpose, NEW.basis, NEW.fields, NEW.detail, NEW."txid") THEN
            NEW."prevHash" := NULL;
            NEW."hash" := encode(audit_leaf_hash(NEW), 'hex');
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege';
        END $$`);

    // Every perfect subtree of the tree above the leaves (level >= 1): node (level, idx) covers
    // leaves [idx * 2^level, (idx + 1) * 2^level). Leaves themselves are audit_event.hash.
    await q.query(`CREATE TABLE audit_tree_node ("level" smallint NOT NULL, "idx" bigint NOT NULL, "hash" bytea NOT NULL, PRIMARY KEY ("level", "idx"))`);
    await q.query(`CREATE TABLE audit_checkpoint ("treeSize" bigint PRIMARY KEY, "rootHash" bytea NOT NULL, "signedAt" timestamptz NOT NULL, "keyName" varchar(200) NOT NULL, "note" text NOT NULL)`);
    // Only when AUDIT_SIGNING_KEY is unset (never in production): one generated key, shared by every hub process.
    await q.query(`CREATE TABLE audit_dev_signing_key ("id" smallint PRIMARY KEY DEFAULT 1 CHECK ("id" = 1), "privateKeyPem" text NOT NULL)`);
    await q.query(`CREATE FUNCTION audit_tree_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$`);
    for (const t of ["audit_tree_node", "audit_checkpoint"]) {
      await q.query(`CREATE TRIGGER ${t}_no_change BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION audit_tree_refuse_change()`);
      await q.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION audit_tree_refuse_change()`);
    }

    // Sealed rows only: the first whose sequence is not contiguous or whose content does not match
    // its leaf hash (empty when intact). The tree and the checkpoints are checked by verifyAuditChain.
    await q.query(`CREATE FUNCTION audit_chain_first_break() RETURNS TABLE(chain_seq bigint, reason text) LANGUAGE sql STABLE AS $$
        SELECT s, r FROM (
          SELECT e."chainSeq" AS s,
            CASE
              WHEN e."chainSeq" <> row_number() OVER w THEN 'a row before this one is missing'
              WHEN e.hash IS DISTINCT FROM encode(audit_leaf_hash(e), 'hex') THEN 'row content does not match its hash'
            END AS r
          FROM audit_event e WHERE e."chainSeq" IS NOT NULL WINDOW w AS (ORDER BY e."chainSeq")
        ) x WHERE r IS NOT NULL ORDER BY s LIMIT 1
    $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_chain_first_break()`);
    for (const t of ["audit_tree_node", "audit_checkpoint"]) {
      await q.query(`DROP TRIGGER ${t}_no_truncate ON ${t}`);
      await q.query(`DROP TRIGGER ${t}_no_change ON ${t}`);
    }
    await q.query(`DROP TABLE audit_dev_signing_key`);
    await q.query(`DROP TABLE audit_checkpoint`);
    await q.query(`DROP TABLE audit_tree_node`);
    await q.query(`DROP FUNCTION audit_tree_refuse_change()`);
    await q.query(`CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`);
    await q.query(`DROP FUNCTION audit_leaf_hash(audit_event)`);
    await q.query(`DROP INDEX "IDX_audit_event_unsealed"`);
    await q.query(`DROP TRIGGER audit_event_stamp ON audit_event`);
    await q.query(`DROP FUNCTION audit_event_stamp()`);
    // Back to the hash chain: re-chain every row in sequence (unsealed rows last, in id order).
    await q.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change`);
    await q.query(`UPDATE audit_event e SET "chainSeq" = s.n, "prevHash" = '', "hash" = '' FROM (SELECT id, row_number() OVER (ORDER BY "chainSeq" NULLS LAST, id) AS n FROM audit_event) s WHERE s.id = e.id`);
    await q.query(`DO $$ DECLARE r record; prev text := repeat('0', 64); h text;
        BEGIN
          FOR r IN SELECT * FROM audit_event ORDER BY "chainSeq" LOOP
            h := encode(sha256(convert_to(prev || '|' || audit_event_payload(r), 'UTF8')), 'hex');
            UPDATE audit_event SET "prevHash" = prev, hash = h WHERE id = r.id;
            prev := h;
          END LOOP;
        END $$`);
    await q.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN "txid"`);
    await q.query(`ALTER TABLE audit_event ALTER COLUMN "chainSeq" SET NOT NULL, ALTER COLUMN "prevHash" SET NOT NULL, ALTER COLUMN "hash" SET NOT NULL`);
    await q.query(`CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE last record;
        BEGIN
          PERFORM pg_advisory_xact_lock(4723190001);
          SELECT "chainSeq", hash INTO last FROM audit_event ORDER BY "chainSeq" DESC LIMIT 1;
          NEW."chainSeq" := COALESCE(last."chainSeq", 0) + 1;
          NEW."prevHash" := COALESCE(last.hash, repeat('0', 64));
          NEW.hash := encode(sha256(convert_to(NEW."prevHash" || '|' || audit_event_payload(NEW), 'UTF8')), 'hex');
          RETURN NEW;
        END $$`);
    await q.query(`CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain()`);
    await q.query(`CREATE FUNCTION audit_chain_first_break() RETURNS TABLE(chain_seq bigint, reason text) LANGUAGE sql STABLE AS $$
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
  }
}
