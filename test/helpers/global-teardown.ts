import { rmSync } from "node:fs";
import pg from "pg";
import type { EmbeddedDb } from "../../src/core/embedded-postgres";

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__NH_TEST__ as
    | { embedded: EmbeddedDb | null; dataDir: string | null; adminUrl: string; template: string }
    | undefined;
  if (!state) return;
  if (state.embedded) {
    await state.embedded.stop();
    if (state.dataDir) rmSync(state.dataDir, { recursive: true, force: true });
    return;
  }
  // A shared server: drop what this run created.
  const admin = new pg.Client({ connectionString: state.adminUrl });
  await admin.connect();
  const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [state.template, `nh_t_${process.pid}_%`]);
  for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  await admin.end();
}
