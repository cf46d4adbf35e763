import { createPrivateKey } from "node:crypto";

// The only module that reads process.env. Everything is validated at start; every problem is
// reported at once so an operator fixes the environment in one go.

export type NodeEnv = "development" | "test" | "production";

export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  /** Unset: an embedded PostgreSQL under dataDir is started, migrated and seeded with demo data. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  redisUrl: string | undefined;
  /** maxTtlSeconds: the longest a token may live (exp after iat, or after now); longer is UNAUTHENTICATED. */
  jwt: { secret: string; issuer: string; audience: string; usingDevSecret: boolean; maxTtlSeconds: number };
  /** HMAC key for identity keys (linking records of one person without comparing names). */
  identityKeySecret: string;
  usingDevIdentitySecret: boolean;
  logLevel: string;
  /** How far in the future an occurredAt may be, to absorb device clock skew. */
  clockSkewSeconds: number;
  /** Break-glass grants expire after this many hours. */
  emergencyGrantHours: number;
  /**
   * Small-number rule for aggregates (docs/disclosure.md): counts from 1 to max are hidden, others a
   * multiple of roundTo picked by cell key from a table of tableSize columns; medians and
   * percentiles only over at least minPercentileValues values.
   */
  suppression: { max: number; roundTo: number; tableSize: number; minPercentileValues: number };
  /** Spike alerts: raise when a window's count reaches minCount and its Poisson tail p is below pValue. */
  alerts: { pValue: number; minCount: number };
  pageSize: { default: number; max: number };
  /** How often open subscriptions are re-checked for a deactivated agency (they also close at token exp). */
  subscriptionRecheckSeconds: number;
  /** Requests per minute, per user and per agency (shared through Redis when REDIS_URL is set). */
  rateLimit: { perUserPerMinute: number; perAgencyPerMinute: number };
  /** Retention of identifying data, in days (docs/decisions.md); dryRun reports what is due and erases nothing. */
  retention: { personDays: number; locationDays: number; freeTextDays: number; dryRun: boolean };
  /** Programme monitoring: refresher cycle, and how far ahead kit expiry and refreshers are announced. */
  programme: { refresherMonths: number; kitExpiryNoticeDays: number; refresherNoticeDays: number };
  /** Bearer token GET /metrics requires; unset: open in development and test, off (404) in production. */
  metricsToken: string | undefined;
  /** TRUSTED_DOCUMENTS_ONLY=true: only the operations in schema/trusted-documents.json run. */
  trustedDocumentsOnly: boolean;
  /** The audit log's Merkle tree, its sealer and its signed checkpoints (src/core/audit/sealer.ts). */
  audit: AuditLogConfig;
}

export interface AuditLogConfig {
  /** AUDIT_SIGNING_KEY: Ed25519 private key, PKCS#8 PEM; required in production. Unset: a development key kept in the database. */
  signingKeyPem: string | undefined;
  /** AUDIT_LOG_ORIGIN: the checkpoint's origin line and the signing key's name. */
  origin: string;
  /** AUDIT_SEAL_INTERVAL_MS: how often each hub process tries to seal (one sealer at a time). */
  sealIntervalMs: number;
  /** AUDIT_SEAL_BATCH: most rows one seal integrates. */
  sealBatch: number;
  /** AUDIT_MAX_SEAL_DELAY_SECONDS: the stated maximum seal delay; /readyz says when it is exceeded. */
  maxSealDelaySeconds: number;
}

/**
 * Retention floors: below them erasure would break work in flight. Identity: a consent commonly
 * runs 12 months and repeat overdoses are linked over the year after one. Precise location: the
 * spike check's 28-day baseline plus its 72-hour window. Free text (handover notes, referral notes):
 * the weeks a referral is worked and reviewed, with a margin.
 */
export const RETENTION_MINIMUM_DAYS = { person: 365, location: 31, freeText: 90 } as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const DEV_JWT_SECRET = "naloxone-hub-development-secret-do-not-use-in-production";
const DEV_IDENTITY_SECRET = "naloxone-hub-development-identity-key-do-not-use-in-production";

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const nodeEnvRaw = env.NODE_ENV ?? "development";
  const nodeEnv = (["development", "test", "production"] as const).find((v) => v === nodeEnvRaw);
  if (!nodeEnv) problems.push(`NODE_ENV must be development, test or production (got an unknown value)`);
  const production = nodeEnv === "production";

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };

  const float = (name: string, fallback: number, minExclusive: number, maxExclusive: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= minExclusive || n >= maxExclusive) {
      problems.push(`${name} must be a number above ${minExclusive} and below ${maxExclusive}`);
      return fallback;
    }
    return n;
  };

  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === "") return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) problems.push(`${name} must use ${protocols.join(" or ")}`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const secret = (name: string, devDefault: string): { value: string; usingDev: boolean } => {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      if (production) problems.push(`${name} is required when NODE_ENV=production`);
      return { value: devDefault, usingDev: true };
    }
    if (raw.length < 32) problems.push(`${name} must be at least 32 characters`);
    if (production && (raw === DEV_JWT_SECRET || raw === DEV_IDENTITY_SECRET)) {
      problems.push(`${name} must not be the development default in production`);
    }
    return { value: raw, usingDev: false };
  };

  const jwtSecret = secret("JWT_SECRET", DEV_JWT_SECRET);
  const identitySecret = secret("IDENTITY_KEY_SECRET", DEV_IDENTITY_SECRET);
  const pageDefault = int("PAGE_SIZE_DEFAULT", 25, 1, 500);
  const pageMax = int("PAGE_SIZE_MAX", 100, 1, 500);
  if (pageDefault > pageMax) problems.push("PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX");

  const auditOrigin = env.AUDIT_LOG_ORIGIN && env.AUDIT_LOG_ORIGIN !== "" ? env.AUDIT_LOG_ORIGIN : "naloxone-hub.invalid/audit-log";
  if (/[\s+]/.test(auditOrigin)) problems.push("AUDIT_LOG_ORIGIN must not contain spaces or '+'");
  let signingKeyPem: string | undefined;
  const rawKey = env.AUDIT_SIGNING_KEY;
  if (rawKey === undefined || rawKey === "") {
    if (production) problems.push("AUDIT_SIGNING_KEY is required when NODE_ENV=production");
  } else {
    signingKeyPem = rawKey.includes("\\n") ? rawKey.replace(/\\n/g, "\n") : rawKey;
    try {
      if (createPrivateKey(signingKeyPem).asymmetricKeyType !== "ed25519") throw new Error("not ed25519");
    } catch {
      problems.push("AUDIT_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM");
    }
  }

  const logLevel = env.LOG_LEVEL ?? (nodeEnv === "test" ? "silent" : "info");
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) {
    problems.push("LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent");
  }

  const retentionDays = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > 36500) {
      problems.push(`${name} must be a whole number of days from ${min} (the safe minimum) to 36500`);
      return fallback;
    }
    return n;
  };
  const personDays = retentionDays("RETENTION_PERSON_DAYS", 1095, RETENTION_MINIMUM_DAYS.person);
  const locationDays = retentionDays("RETENTION_LOCATION_DAYS", 90, RETENTION_MINIMUM_DAYS.location);
  const freeTextDays = retentionDays("RETENTION_FREE_TEXT_DAYS", 365, RETENTION_MINIMUM_DAYS.freeText);
  if (locationDays > personDays) problems.push("RETENTION_LOCATION_DAYS must not exceed RETENTION_PERSON_DAYS (a precise location identifies as much as a name)");
  if (freeTextDays > personDays) problems.push("RETENTION_FREE_TEXT_DAYS must not exceed RETENTION_PERSON_DAYS (free text may name the person)");
  const dryRunRaw = env.RETENTION_DRY_RUN ?? "";
  if (!["", "true", "false"].includes(dryRunRaw)) problems.push("RETENTION_DRY_RUN must be true or false");

  const config: Config = {
    nodeEnv: nodeEnv ?? "development",
    port: int("PORT", 4000, 0, 65535),
    databaseUrl: url("DATABASE_URL", ["postgres:", "postgresql:"]),
    dataDir: env.DATA_DIR && env.DATA_DIR !== "" ? env.DATA_DIR : ".data",
    embeddedPgPort: int("EMBEDDED_PG_PORT", 5439, 1024, 65535),
    redisUrl: url("REDIS_URL", ["redis:", "rediss:"]),
    jwt: {
      secret: jwtSecret.value,
      usingDevSecret: jwtSecret.usingDev,
      issuer: env.JWT_ISSUER && env.JWT_ISSUER !== "" ? env.JWT_ISSUER : "naloxone-hub",
      audience: env.JWT_AUDIENCE && env.JWT_AUDIENCE !== "" ? env.JWT_AUDIENCE : "naloxone-hub",
      maxTtlSeconds: int("JWT_MAX_TTL_SECONDS", 12 * 3600, 60, 7 * 24 * 3600),
    },
    identityKeySecret: identitySecret.value,
    usingDevIdentitySecret: identitySecret.usingDev,
    logLevel,
    clockSkewSeconds: int("CLOCK_SKEW_SECONDS", 300, 0, 3600),
    emergencyGrantHours: int("EMERGENCY_GRANT_HOURS", 4, 1, 72),
    suppression: {
      max: int("SUPPRESS_MAX", 7, 0, 100),
      roundTo: int("ROUND_TO", 5, 1, 100),
      tableSize: int("CELL_KEY_TABLE_SIZE", 500, 10, 100_000),
      minPercentileValues: int("PERCENTILE_MIN_VALUES", 20, 1, 10_000),
    },
    alerts: { pValue: float("ALERT_P_VALUE", 0.01, 0, 1), minCount: int("ALERT_MIN_COUNT", 5, 1, 1000) },
    pageSize: { default: pageDefault, max: pageMax },
    subscriptionRecheckSeconds: int("SUBSCRIPTION_RECHECK_SECONDS", 30, 1, 3600),
    rateLimit: {
      perUserPerMinute: int("RATE_LIMIT_USER_PER_MINUTE", 600, 1, 1_000_000),
      perAgencyPerMinute: int("RATE_LIMIT_AGENCY_PER_MINUTE", 6000, 1, 10_000_000),
    },
    retention: { personDays, locationDays, freeTextDays, dryRun: dryRunRaw === "true" },
    programme: {
      refresherMonths: int("REFRESHER_MONTHS", 12, 1, 60),
      kitExpiryNoticeDays: int("KIT_EXPIRY_NOTICE_DAYS", 30, 1, 365),
      refresherNoticeDays: int("REFRESHER_NOTICE_DAYS", 30, 0, 365),
    },
    metricsToken: env.METRICS_TOKEN && env.METRICS_TOKEN !== "" ? env.METRICS_TOKEN : undefined,
    trustedDocumentsOnly: env.TRUSTED_DOCUMENTS_ONLY === "true",
    audit: {
      signingKeyPem,
      origin: auditOrigin,
      sealIntervalMs: int("AUDIT_SEAL_INTERVAL_MS", 1000, 50, 60_000),
      sealBatch: int("AUDIT_SEAL_BATCH", 20_000, 1, 1_000_000),
      maxSealDelaySeconds: int("AUDIT_MAX_SEAL_DELAY_SECONDS", 5, 1, 3600),
    },
  };
  if (env.TRUSTED_DOCUMENTS_ONLY !== undefined && !["true", "false", ""].includes(env.TRUSTED_DOCUMENTS_ONLY)) problems.push("TRUSTED_DOCUMENTS_ONLY must be true or false");
  if (config.metricsToken !== undefined && config.metricsToken.length < 16) problems.push("METRICS_TOKEN must be at least 16 characters");

  if (config.suppression.tableSize % config.suppression.roundTo !== 0) problems.push("CELL_KEY_TABLE_SIZE must be a multiple of ROUND_TO");
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
