import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import { Kind, type OperationDefinitionNode } from "graphql";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DataSource } from "typeorm";
import type { Context } from "./context.js";

/**
 * Operators' metrics in Prometheus text format (prom-client). Labels come only from bounded sets
 * the hub defines: root field names of the schema, error codes, queue names and states, limiter
 * names. Never an operation name a client chose, a variable, an id, a person or any free text.
 */
export interface HubMetrics {
  registry: Registry;
  plugin: ApolloServerPlugin<Context>;
  /** Counts a request refused by a rate limiter ("user" or "agency"). */
  rateLimited(limiter: "user" | "agency"): void;
  /**
   * Hook for the audit sealer: give it a function answering the seconds since the oldest unsealed
   * audit row (0 when all are sealed, null when unknown) and `naloxone_hub_audit_seal_lag_seconds`
   * reports it on every scrape. Until then the gauge is absent.
   */
  setAuditSealLagSource(read: () => Promise<number | null>): void;
  handler: RequestHandler;
}

const SEAL_LAG = "naloxone_hub_audit_seal_lag_seconds";
const CODE = /^[A-Z][A-Z_]{0,39}$/;
const FIELD = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** Queue names are the hub's own job names (src/core/jobs.ts). */
const QUEUE = /^[a-z][a-z0-9_.:-]{0,63}$/;

/**
 * The operation's first root field, as the schema names it (`referrals`, `recordConsent`): a
 * bounded set, unlike the operation name a client chooses. Unparsed or invalid documents: "unparsed".
 */
function rootField(op: OperationDefinitionNode | undefined): string {
  if (!op) return "unparsed";
  const first = op.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return first && first.kind === Kind.FIELD && FIELD.test(first.name.value) ? first.name.value : "none";
}

export function createMetrics(dataSource: DataSource): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "naloxone_hub_" });

  const requests = new Counter({
    name: "naloxone_hub_graphql_requests_total",
    help: "GraphQL requests by operation type, first root field and outcome (OK or the first error code)",
    labelNames: ["type", "operation", "outcome"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "naloxone_hub_graphql_request_duration_seconds",
    help: "GraphQL request latency by operation type and first root field",
    labelNames: ["type", "operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const limited = new Counter({ name: "naloxone_hub_rate_limited_total", help: "Requests refused with RATE_LIMITED, by limiter", labelNames: ["limiter"] as const, registers: [registry] });

  new Gauge({
    name: "naloxone_hub_db_pool_connections",
    help: "Database pool connections by state (total, idle, waiting clients)",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const pool = (dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
      if (!pool) return;
      this.set({ state: "total" }, pool.totalCount);
      this.set({ state: "idle" }, pool.idleCount);
      this.set({ state: "waiting" }, pool.waitingCount);
    },
  });

  new Gauge({
    name: "naloxone_hub_job_queue_jobs",
    help: "pg-boss jobs by queue and state (created, retry, active)",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const rows: Array<{ name: string; state: string; n: number }> = await dataSource.query(
          `SELECT name, state::text AS state, count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') GROUP BY 1, 2`,
        );
        for (const r of rows) if (QUEUE.test(r.name)) this.set({ queue: r.name, state: r.state }, r.n);
      } catch {
        // pg-boss not started on this database (tests, or before the first start): no series.
      }
    },
  });

  let sealLag: (() => Promise<number | null>) | null = null;
  const sealGauge = new Gauge({
    name: SEAL_LAG,
    help: "Seconds since the oldest audit row not yet covered by a signed checkpoint",
    registers: [],
    async collect() {
      const v = sealLag ? await sealLag().catch(() => null) : null;
      if (v == null) this.reset();
      else this.set(v);
    },
  });

  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation }) {
          const type = operation?.operation ?? "unknown";
          const fields = rootField(operation ?? undefined);
          const errors = response.body.kind === "single" ? response.body.singleResult.errors ?? [] : [];
          const code = errors.length === 0 ? "OK" : String(errors[0].extensions?.code ?? "OTHER");
          requests.inc({ type, operation: fields, outcome: CODE.test(code) ? code : "OTHER" });
          latency.observe({ type, operation: fields }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };

  return {
    registry,
    plugin,
    rateLimited: (limiter) => limited.inc({ limiter }),
    setAuditSealLagSource(read) {
      sealLag = read;
      if (!registry.getSingleMetric(SEAL_LAG)) registry.registerMetric(sealGauge);
    },
    handler: async (_req, res) => {
      res.setHeader("Content-Type", registry.contentType);
      res.setHeader("Cache-Control", "no-store");
      res.status(200).send(await registry.metrics());
    },
  };
}
