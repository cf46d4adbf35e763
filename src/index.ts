import "reflect-metadata";
import { systemClock } from "./core/clock.js";
import { ConfigError, loadConfig, type Config } from "./core/config.js";
import { openDatabase } from "./core/database.js";
import { createLogger } from "./core/logger.js";
import { startJobs, type Jobs } from "./core/jobs.js";
import { retentionJob } from "./modules/retention/retention.service.js";
import { kpiRollupJob } from "./modules/aggregates/kpi-rollup.js";
import { startSealer, type Sealer } from "./core/audit/sealer.js";
import { createHubPubSub } from "./core/pubsub.js";
import { sweepSpikes } from "./modules/aggregates/alert.service.js";
import { ReviewService } from "./modules/reviews/review.service.js";
import { ProgrammeReminderService } from "./modules/programme/reminder.service.js";
import { isDemoSeeded, seedDemo } from "./demo/seed.js";
import { createHubServer } from "./server.js";

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config);
  if (config.jwt.usingDevSecret) logger.warn("JWT_SECRET is not set: using the DEVELOPMENT secret. Anyone can mint tokens. Never do this in production.");
  if (config.usingDevIdentitySecret) logger.warn("IDENTITY_KEY_SECRET is not set: using the DEVELOPMENT identity key.");

  const db = await openDatabase(config, logger);
  const pubsub = createHubPubSub(config, logger);
  if (db.embedded && !(await isDemoSeeded(db.dataSource))) {
    const counts = await seedDemo({ config, dataSource: db.dataSource, clock: systemClock, pubsub });
    logger.info(counts, "demo data loaded");
  }

  const hub = await createHubServer({ config, dataSource: db.dataSource, logger, clock: systemClock, pubsub });

  // Installed before listening: a SIGTERM as soon as /readyz answers must drain too, not kill.
  let jobs: Jobs | null = null;
  let sealer: Sealer | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining requests");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await hub.stop();
      logger.info("http and subscriptions stopped");
      await jobs?.stop();
      logger.info("job queue stopped");
      await sealer?.stop();
      await pubsub.close();
      await db.close();
      logger.info("database closed");
    } catch (e) {
      logger.error({ err: (e as Error).name }, "error during shutdown");
    }
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await new Promise<void>((resolve, reject) => {
    hub.httpServer.once("error", reject);
    hub.httpServer.listen(config.port, () => resolve());
  }).catch(async (e: NodeJS.ErrnoException) => {
    logger.fatal({ code: e.code, port: config.port }, "cannot listen");
    await db.close();
    process.exit(1);
  });
  const deps = { config, dataSource: db.dataSource, clock: systemClock, pubsub, logger };
  if (!stopping) sealer = startSealer(deps);
  jobs = await startJobs(
    db.url,
    [
      { name: "review-reminders", cron: "* * * * *", run: () => new ReviewService(deps).sendReminders() },
      { name: "spike-sweep", cron: "*/5 * * * *", run: () => sweepSpikes(deps, systemClock.now()) },
      retentionJob(deps),
      kpiRollupJob(deps),
      { name: "programme-reminders", cron: "0 * * * *", run: () => new ProgrammeReminderService(deps).sendReminders() },
    ],
    logger,
  ).catch((e) => {
    if (stopping) return null; // shutting down while the queue started: shutdown exits
    throw e;
  });
  const address = hub.httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  logger.info({ port }, "Naloxone Hub listening");
  process.stdout.write(
    `\nNaloxone Hub: http://localhost:${port}/graphql  (health: /healthz, readiness: /readyz)\n` +
      `Get a token:  npm run token -- --agency HUB --role ADMIN\n` +
      `Partner dashboard: http://localhost:${port}/dashboard/  (paste an ANALYST token)\n` +
      (db.embedded ? `Demo data: forces CLE SWP ASC LAN DUR NYP NFK; try --agency DUR --role OFFICER --collar 1234, or --agency PH-ENG --role ANALYST\n\n` : "\n"),
  );
}

main().catch((e) => {
  process.stderr.write(`Naloxone Hub failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
