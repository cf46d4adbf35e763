// The benchmark's settings: the only place under bench/ that reads the environment.
import path from "node:path";

export interface BenchConfig {
  /** Incidents to generate (BENCH_N, default 1,000,000). */
  n: number;
  seed: string;
  /** BENCH_DATABASE_URL or DATABASE_URL; unset: an embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  pgPort: number;
  /** Seconds of measured load per scenario and of warm-up before it. */
  duration: number;
  warmup: number;
  connections: number;
  /** First of the four ports used (hub, guarded twin, bare, raw SQL). */
  port: number;
  out: string;
  /** Log level of the hub under load (its logs go to <dataDir>/hub.log). */
  hubLogLevel: string;
  /** Only these scenarios (comma-separated letters a,b,c,d); all when unset. */
  only: string[] | null;
  /** BENCH_RENDER_FROM: only re-render the report from a results file an earlier run saved (<dataDir>/last-results.json). */
  renderFrom: string | null;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}`);
  return n;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  return {
    n: int(env, "BENCH_N", 1_000_000, 100),
    seed: env.BENCH_SEED || "naloxone-hub-bench-1",
    databaseUrl: env.BENCH_DATABASE_URL || env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.BENCH_DATA_DIR || ".data/bench"),
    pgPort: int(env, "BENCH_PG_PORT", 5440, 1024),
    duration: int(env, "BENCH_DURATION", 20, 1),
    warmup: int(env, "BENCH_WARMUP", 3, 0),
    connections: int(env, "BENCH_CONNECTIONS", 10, 1),
    port: int(env, "BENCH_PORT", 4100, 1024),
    out: path.resolve(env.BENCH_OUT || "docs/benchmarks.md"),
    hubLogLevel: env.BENCH_HUB_LOG_LEVEL || "info",
    only: env.BENCH_ONLY ? env.BENCH_ONLY.split(",").map((s) => s.trim().toLowerCase()) : null,
    renderFrom: env.BENCH_RENDER_FROM ? path.resolve(env.BENCH_RENDER_FROM) : null,
  };
}

/** Identity keys of generated people and of people recorded under load use this key (not a real secret). */
export const BENCH_IDENTITY_KEY = "naloxone-hub-benchmark-identity-key-not-secret-0001";
