import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit, type Store } from "express-rate-limit";
import { RedisStore } from "rate-limit-redis";
import { Redis } from "ioredis";
import { verifyToken } from "./auth/tokens.js";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";

const graphqlError = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ errors: [{ message, extensions: { code, ...extra } }] });

/** Who a request counts against: the verified token's user and agency, or the client address. */
async function callerOf(req: Request, config: Config): Promise<{ user: string; agency: string } | null> {
  const m = /^Bearer\s+(\S+)$/.exec(req.header("authorization") ?? "");
  if (!m) return null;
  try {
    const claims = await verifyToken(config, m[1]);
    return { user: `${claims.agency}:${claims.sub}`, agency: claims.agency };
  } catch {
    return null; // authentication answers it properly later
  }
}

/**
 * Per-user and per-agency request limits. Over the limit: HTTP 429 with Retry-After and a GraphQL
 * error RATE_LIMITED carrying retryAfterSeconds. With REDIS_URL the counters are shared by every
 * hub instance; otherwise each instance counts in memory.
 */
export function rateLimits(config: Config, logger: Logger, onLimited?: (limiter: "user" | "agency") => void): { middleware: RequestHandler[]; close(): Promise<void> } {
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : null;
  redis?.on("error", (e) => logger.warn({ err: e.name }, "rate-limit redis error"));
  const store = (prefix: string): Store | undefined =>
    redis ? new RedisStore({ prefix, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as never }) : undefined;
  const limiter = (name: "user" | "agency", limit: number) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      store: store(`nh-rl-${name}:`),
      // A store outage must not take the API down with it.
      passOnStoreError: true,
      keyGenerator: async (req) => {
        const caller = await callerOf(req, config);
        if (caller) return name === "user" ? `u:${caller.user}` : `a:${caller.agency}`;
        return `ip:${ipKeyGenerator(req.ip ?? "unknown")}`;
      },
      handler: (_req, res, _next, options) => {
        const retryAfterSeconds = Math.ceil(options.windowMs / 1000);
        onLimited?.(name);
        res.setHeader("Retry-After", String(retryAfterSeconds));
        res
          .status(429)
          .json(graphqlError("RATE_LIMITED", `Too many requests for this ${name}: retry after ${retryAfterSeconds} seconds`, { retryAfterSeconds }));
      },
    });
  return {
    middleware: [limiter("user", config.rateLimit.perUserPerMinute), limiter("agency", config.rateLimit.perAgencyPerMinute)],
    async close() {
      redis?.disconnect();
    },
  };
}

/** Body-parser and other HTTP-level failures answer as GraphQL errors in JSON, never an HTML page or a stack. */
export function httpErrors(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const requestId = (req as Request & { requestId?: string }).requestId;
    const e = err as { type?: string; status?: number };
    if (e.type === "entity.parse.failed") return res.status(400).json(graphqlError("BAD_USER_INPUT", "The request body is not valid JSON"));
    if (e.type === "entity.too.large" || e.status === 413) return res.status(413).json(graphqlError("BAD_USER_INPUT", "The request body is larger than 1 MB"));
    if (e.status && e.status >= 400 && e.status < 500) return res.status(e.status).json(graphqlError("BAD_USER_INPUT", "The request could not be read"));
    logger.error({ requestId, err: { name: (err as Error)?.name } }, "unexpected HTTP error");
    return res.status(500).json(graphqlError("INTERNAL_SERVER_ERROR", "Internal server error", { requestId }));
  };
}
