import type { DataSource } from "typeorm";
import { sealAuditLog } from "../../src/core/audit/sealer";
import type { Config } from "../../src/core/config";

/**
 * Seals until no audit row of this database is left unsealed; returns how many it sealed. The
 * sealer's horizon (pg_snapshot_xmin) is the whole cluster's, so a transaction open in another test
 * file's database holds it back for a moment and one seal may take fewer rows than are committed.
 */
export async function sealEverything(config: Config, ds: DataSource, timeoutMs = 20_000): Promise<number> {
  const unsealed = async () => (await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE "chainSeq" IS NULL`))[0].n as number;
  let sealed = 0;
  for (const until = Date.now() + timeoutMs; (await unsealed()) > 0 && Date.now() < until; ) {
    const r = await sealAuditLog({ config, dataSource: ds });
    sealed += r.sealed;
    if (r.sealed === 0) await new Promise((res) => setTimeout(res, 50));
  }
  return sealed;
}
