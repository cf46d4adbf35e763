import pg from "pg";
import { DataSource } from "typeorm";
import { migrations } from "../../migrations/index.js";
import { entities } from "../entities.js";

// DATE columns come back as 'YYYY-MM-DD' strings: a date of birth has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface DataSourceOptions {
  poolSize?: number;
  /** Called with each SQL statement (tests count statements to prove batching). */
  onQuery?: (sql: string) => void;
}

export function createDataSource(url: string, options: DataSourceOptions = {}): DataSource {
  const onQuery = options.onQuery;
  return new DataSource({
    type: "postgres",
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: "each",
    uuidExtension: "pgcrypto",
    extra: { max: options.poolSize ?? 10, application_name: "naloxone-hub", connectionTimeoutMillis: 5000 },
    logging: onQuery ? ["query"] : false,
    logger: onQuery
      ? {
          logQuery: (q: string) => onQuery(q),
          logQueryError: () => undefined,
          logQuerySlow: () => undefined,
          logSchemaBuild: () => undefined,
          logMigration: () => undefined,
          log: () => undefined,
        }
      : undefined,
  });
}
