import type { DataSource } from "typeorm";
import type { Actor } from "./auth/actor.js";
import { unauthenticated } from "./errors.js";
import type { ReadLog } from "./audit/read-log.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import type { HubPubSub } from "./pubsub.js";

/** Per-request memo of DataLoaders, so modules own their loaders without core knowing them. */
export class LoaderRegistry {
  private readonly loaders = new Map<string, unknown>();
  get<T>(key: string, create: () => T): T {
    let l = this.loaders.get(key) as T | undefined;
    if (l === undefined) {
      l = create();
      this.loaders.set(key, l);
    }
    return l;
  }
}

export interface AppDeps {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
  clock: Clock;
  pubsub: HubPubSub;
}

export interface Context extends AppDeps {
  requestId: string;
  actor: Actor | null;
  loaders: LoaderRegistry;
  /** Identifying fields read or refused in this request, audited before the response leaves. */
  readLog: ReadLog;
}

/** What a service needs: the database, configuration and the clock (actors are passed per call). */
export type ServiceDeps = Pick<AppDeps, "dataSource" | "config" | "clock" | "pubsub"> & { logger?: Logger };

/** The caller, for resolvers behind a rule that already required authentication. */
export function requireActor(ctx: Context): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}

/** Loads a row that a foreign key guarantees: its absence is a broken invariant, an internal error. */
export async function loadRequired<K, V>(loader: { load(key: K): Promise<V | null> }, key: K, what: string): Promise<V> {
  const row = await loader.load(key);
  if (row == null) throw new Error(`${what} missing`);
  return row;
}
