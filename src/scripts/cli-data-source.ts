// For the TypeORM CLI only (migration:generate): `npm run migration:generate -- migrations/Name`.
import "reflect-metadata";
import { loadConfig } from "../core/config.js";
import { createDataSource } from "../core/data-source.js";

const config = loadConfig();
if (!config.databaseUrl) throw new Error("Set DATABASE_URL to a scratch database to generate migrations");
export const dataSource = createDataSource(config.databaseUrl);
