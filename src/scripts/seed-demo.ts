// npm run seed:demo: loads the demo data into DATABASE_URL (or the embedded database).
import "reflect-metadata";
import { systemClock } from "../core/clock.js";
import { loadConfig } from "../core/config.js";
import { openDatabase } from "../core/database.js";
import { createLogger } from "../core/logger.js";
import { createHubPubSub } from "../core/pubsub.js";
import { seedDemo } from "../demo/seed.js";

async function main() {
  const config = loadConfig();
  const logger = createLogger(config);
  const db = await openDatabase(config, logger);
  try {
    const pubsub = createHubPubSub(config, logger);
    const counts = await seedDemo({ config, dataSource: db.dataSource, clock: systemClock, pubsub });
    await pubsub.close();
    process.stdout.write(`demo data loaded: ${JSON.stringify(counts)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  process.stderr.write(`seed failed: ${(e as Error).message}\n`);
  process.exit(1);
});
