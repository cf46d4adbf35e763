import { randomBytes } from "node:crypto";
import "reflect-metadata";
import pg from "pg";
import type { DataSource } from "typeorm";
import { createDataSource, type DataSourceOptions } from "../../src/core/data-source";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (global setup)`);
  return v;
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: env("NH_TEST_ADMIN_URL") });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh, migrated database cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `nh_t_${env("NH_TEST_RUN")}_${randomBytes(5).toString("hex")}`;
  await withAdmin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${env("NH_TEST_TEMPLATE")}`);
        return;
      } catch (e) {
        // Another worker cloning the template at the same moment: wait and retry.
        if ((e as { code?: string }).code !== "55006" || attempt > 50) throw e;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  });
  const url = new URL(env("NH_TEST_ADMIN_URL"));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

export async function connect(url: string, options: DataSourceOptions = {}): Promise<DataSource> {
  const ds = createDataSource(url, options);
  await ds.initialize();
  return ds;
}
