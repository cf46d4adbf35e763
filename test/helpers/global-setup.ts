import { chmodSync, mkdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import "./ts-resolve";
import "reflect-metadata";
import pg from "pg";
import { createDataSource } from "../../src/core/data-source";
import { startEmbeddedPostgres, type EmbeddedDb } from "../../src/core/embedded-postgres";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * One PostgreSQL for the run: DATABASE_URL's server, or an embedded one. A template database is
 * migrated once; each test file then clones its own database from it (see db.ts), so files run in
 * parallel without touching each other.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedDb | null = null;
  let dataDir: string | null = null;
  if (!adminUrl) {
    dataDir = path.join(os.tmpdir(), `naloxone-hub-test-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    adminUrl = embedded.url("postgres");
  }
  const template = `nh_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const ds = createDataSource(url.toString());
  await ds.initialize();
  await ds.runMigrations({ transaction: "each" });
  await ds.destroy();

  process.env.NH_TEST_ADMIN_URL = adminUrl;
  process.env.NH_TEST_TEMPLATE = template;
  process.env.NH_TEST_RUN = String(process.pid);
  (globalThis as Record<string, unknown>).__NH_TEST__ = { embedded, dataDir, adminUrl, template };
}
