import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub } from "@graphql-yoga/subscription";
import { Redis } from "ioredis";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";

/**
 * Live events. Payloads carry ids only (never personal data): each subscriber's resolver loads the
 * record under its own permissions. With REDIS_URL every hub instance shares the events, so a
 * subscriber connected to one instance hears what another published; without it, in-process.
 */
export const Topic = {
  REFERRAL_RECEIVED: "REFERRAL_RECEIVED",
  REVIEW_DUE: "REVIEW_DUE",
  ALERT_RAISED: "ALERT_RAISED",
  PROGRAMME_REMINDER: "PROGRAMME_REMINDER",
} as const;

export interface TopicPayloads {
  [Topic.REFERRAL_RECEIVED]: { referralId: string; toAgencyId: string };
  [Topic.REVIEW_DUE]: { reviewId: string; agencyId: string; stage: "DUE_SOON" | "DUE_NOW" };
  [Topic.ALERT_RAISED]: { alertId: string; areaCode: string };
  /** subjectId: a kit batch (KIT_EXPIRY) or an officer (REFRESHER_DUE) of the force agencyId. */
  [Topic.PROGRAMME_REMINDER]: { kind: "KIT_EXPIRY" | "REFRESHER_DUE"; agencyId: string; subjectId: string; dueOn: string };
}

export type HubPubSubEngine = ReturnType<typeof createPubSub<{ [K in keyof TopicPayloads]: [TopicPayloads[K]] }>>;

export interface HubPubSub {
  engine: HubPubSubEngine;
  publish<K extends keyof TopicPayloads>(topic: K, payload: TopicPayloads[K]): void;
  close(): Promise<void>;
}

export function createHubPubSub(config: Pick<Config, "redisUrl">, logger?: Logger): HubPubSub {
  if (!config.redisUrl) {
    const engine = createPubSub<{ [K in keyof TopicPayloads]: [TopicPayloads[K]] }>();
    return { engine, publish: (t, p) => engine.publish(t, p as never), close: async () => undefined };
  }
  const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false };
  const publishClient = new Redis(config.redisUrl, options);
  const subscribeClient = new Redis(config.redisUrl, options);
  for (const c of [publishClient, subscribeClient]) c.on("error", (e) => logger?.warn({ err: e.name }, "redis error"));
  const engine = createPubSub<{ [K in keyof TopicPayloads]: [TopicPayloads[K]] }>({
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
  });
  return {
    engine,
    publish: (t, p) => engine.publish(t, p as never),
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
