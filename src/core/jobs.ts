import PgBoss from "pg-boss";
import type { Logger } from "./logger.js";

/** A recurring job: its schedule lives in PostgreSQL (pg-boss), so it survives restarts. */
export interface RecurringJob {
  name: string;
  /** Cron expression, UTC. */
  cron: string;
  run(): Promise<unknown>;
}

export interface Jobs {
  /** Queue one run now (an operator's nudge, and how tests drive the queue). */
  trigger(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts pg-boss on the hub's database (its own `pgboss` schema) and the workers for the given
 * jobs. Jobs must be idempotent: a run may repeat after a crash, and several hub instances share
 * one queue (each job runs on one of them).
 */
export async function startJobs(url: string, jobs: RecurringJob[], logger: Logger): Promise<Jobs> {
  const boss = new PgBoss({ connectionString: url, schema: "pgboss", max: 3, application_name: "naloxone-hub-jobs" });
  boss.on("error", (e: Error) => logger.error({ err: e.name, message: e.message.slice(0, 200) }, "job queue error"));
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name, { name: job.name, policy: "singleton" });
    await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
    await boss.work(job.name, { pollingIntervalSeconds: 1 }, async () => {
      const done = await job.run();
      logger.debug({ job: job.name, done }, "job ran");
    });
  }
  return {
    async trigger(name) {
      await boss.send(name, {});
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000, wait: true });
    },
  };
}
