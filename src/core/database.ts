import type { DataSource } from "typeorm";
import type { Config } from "./config.js";
import { createDataSource } from "./data-source.js";
import { startEmbeddedPostgres, type EmbeddedDb } from "./embedded-postgres.js";
import type { Logger } from "./logger.js";

export interface Database {
  dataSource: DataSource;
  /** Connection URL (the job queue opens its own pool on it). */
  url: string;
  /** Set when no DATABASE_URL was given and an embedded PostgreSQL was started. */
  embedded: EmbeddedDb | null;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL, then runs pending migrations. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedDb | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, database: "naloxone_hub", logger });
    url = embedded.url("naloxone_hub");
    logger.info({ port: config.embeddedPgPort, dataDir: config.dataDir }, "embedded PostgreSQL running");
  }
  const dataSource = createDataSource(url);
  try {
    await dataSource.initialize();
    const ran = await dataSource.runMigrations({ transaction: "each" });
    if (ran.length > 0) logger.info({ migrations: ran.map((m) => m.name) }, "migrations applied");
  } catch (e) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw e;
  }
  return {
    dataSource,
    url,
    embedded,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
