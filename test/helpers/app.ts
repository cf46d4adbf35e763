import "reflect-metadata";
import request from "supertest";
import type { DataSource } from "typeorm";
import { signToken } from "../../src/core/auth/tokens";
import type { Role } from "../../src/core/auth/roles";
import { fixedClock, systemClock, type Clock } from "../../src/core/clock";
import { loadConfig, type Config } from "../../src/core/config";
import { createLogger } from "../../src/core/logger";
import { createHubPubSub, type HubPubSub } from "../../src/core/pubsub";
import { seedDemo } from "../../src/demo/seed";
import { createHubServer, type HubServer } from "../../src/server";
import { connect, createTestDatabase, type TestDatabase } from "./db";

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors: Array<{ message: string; path?: (string | number)[]; extensions: { code: string; [k: string]: unknown } }> | undefined;
  body: any;
}

export interface TestApp {
  config: Config;
  ds: DataSource;
  db: TestDatabase;
  hub: HubServer;
  pubsub: HubPubSub;
  /** Clock the services read: the system clock until set() freezes it; reset() returns to real time. */
  clock: Clock & { set(d: Date): void; reset(): void };
  token(agency: string, roles: Role | Role[], extra?: { sub?: string; collarNumber?: string; ttlSeconds?: number }): Promise<string>;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

export async function createTestApp(opts: { demo?: boolean; env?: Record<string, string>; onQuery?: (sql: string) => void; logLines?: string[] } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: db.url, RATE_LIMIT_USER_PER_MINUTE: "1000000", RATE_LIMIT_AGENCY_PER_MINUTE: "1000000", ...opts.env });
  const ds = await connect(db.url, { onQuery: opts.onQuery });
  let current: Clock = systemClock;
  const clock = { now: () => current.now(), set: (d: Date) => void (current = fixedClock(d)), reset: () => void (current = systemClock) };
  const pubsub = createHubPubSub(config);
  if (opts.demo !== false) await seedDemo({ config, dataSource: ds, clock, pubsub }, { incidents: false });
  const logger = opts.logLines ? createLogger(config, { write: (line: string) => void opts.logLines!.push(line) }) : createLogger(config);
  const hub = await createHubServer({ config, dataSource: ds, logger, clock, pubsub });
  return {
    config,
    ds,
    db,
    hub,
    pubsub,
    clock,
    token: (agency, roles, extra = {}) =>
      signToken(config, { sub: extra.sub ?? `${agency.toLowerCase()}-user`, agency, roles: Array.isArray(roles) ? roles : [roles], collarNumber: extra.collarNumber }, extra.ttlSeconds),
    async gql(query, variables, token) {
      let req = request(hub.app).post("/graphql").set("content-type", "application/json");
      if (token) req = req.set("authorization", `Bearer ${token}`);
      const res = await req.send({ query, variables });
      return { status: res.status, data: res.body?.data, errors: res.body?.errors, body: res.body };
    },
    async close() {
      await hub.stop();
      await pubsub.close();
      await ds.destroy();
      await db.drop();
    },
  };
}
