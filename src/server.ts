import "reflect-metadata";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import express, { type Request } from "express";
import helmet from "helmet";
import type { GraphQLSchema } from "graphql";
import { auditReadsOrWithhold, ReadLog } from "./core/audit/read-log.js";
import { publicAuditLogRouter } from "./core/audit/public-log.js";
import { currentSealLag } from "./core/audit/tree-store.js";
import { authenticate } from "./core/auth/authenticate.js";
import { LoaderRegistry, type AppDeps, type Context } from "./core/context.js";
import { distinctRequestErrors, formatError, isExpectedError, safeErrorForLog } from "./core/format-error.js";
import { httpErrors, rateLimits } from "./core/http-guards.js";
import { unstorableTextGuard } from "./core/input-guards.js";
import { attachSubscriptions } from "./core/subscriptions.js";
import { createMetrics, type HubMetrics } from "./core/metrics.js";
import { landingPage } from "./dev/landing-page.js";
import { exportRouter } from "./modules/export/export.route.js";
import { TrustedDocuments, trustedDocumentsPlugin } from "./core/trusted-documents.js";
import { dashboardRouter } from "./dashboard/route.js";
import { subjectAccessExportRouter } from "./interop/subject-access.route.js";
import { fhirRouter } from "./fhir/router.js";
import { buildHubSchema } from "./schema.js";

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;
/** Lexical tokens a document may hold (graphql-js stops parsing beyond it: QUERY_TOO_COMPLEX). */
export const MAX_TOKENS = 2000;

/**
 * Writes the audit rows for identifying data before the response leaves. If that fails, the client
 * gets an error instead of the data: reads that cannot be audited do not happen (fail closed).
 */
function readAuditPlugin(deps: AppDeps): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue: ctx }) {
          const withheld = await auditReadsOrWithhold(deps, ctx);
          if (withheld && response.body.kind === "single") response.body.singleResult = withheld;
        },
      };
    },
  };
}

/** A request refused before it ran (no data) answers each distinct problem once: see distinctRequestErrors. */
function distinctErrorsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const body = response.body;
          if (body.kind !== "single" || body.singleResult.data !== undefined || !body.singleResult.errors) return;
          body.singleResult.errors = distinctRequestErrors(body.singleResult.errors);
        },
      };
    },
  };
}

/** Logs one line per operation (name, duration, error codes: never variables or data). */
function loggingPlugin(deps: AppDeps): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, contextValue: ctx }) {
          for (const e of errors) {
            if (!isExpectedError(e)) {
              deps.logger.error({ requestId: ctx.requestId, path: e.path, err: safeErrorForLog(e.originalError ?? e) }, "unexpected error");
            }
          }
        },
        async willSendResponse({ response, operationName, contextValue: ctx }) {
          const body = response.body;
          const errors = body.kind === "single" ? body.singleResult.errors ?? [] : [];
          for (const e of errors) {
            if (e.extensions?.code === "INTERNAL_SERVER_ERROR") (e.extensions as Record<string, unknown>).requestId = ctx.requestId;
          }
          deps.logger.info(
            {
              requestId: ctx.requestId,
              operationName: operationName ?? null,
              agency: ctx.actor?.agency.code ?? null,
              ms: Number(process.hrtime.bigint() - started) / 1e6,
              errorCodes: errors.map((e) => e.extensions?.code),
            },
            "graphql",
          );
        },
      };
      void contextValue;
    },
  };
}

export interface HubServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  schema: GraphQLSchema;
  /** Operators' metrics, served at GET /metrics (the audit sealer registers its lag here). */
  metrics: HubMetrics;
  /** Stops accepting requests, drains in-flight ones, then resolves. */
  stop(): Promise<void>;
}

/** Builds the HTTP + GraphQL server without listening (tests drive `app` through supertest). */
export async function createHubServer(deps: AppDeps, options: { schema?: GraphQLSchema; dashboardDir?: string } = {}): Promise<HubServer> {
  const schema = options.schema ?? (await buildHubSchema(deps.pubsub));
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const production = deps.config.nodeEnv === "production";
  const metrics = createMetrics(deps.dataSource);
  // The audit log's seal lag (issue 14): the age of the oldest unsealed row, asked of the database at each scrape.
  metrics.setAuditSealLagSource(async () => (await currentSealLag(deps.dataSource)).lagSeconds);
  const trusted = deps.config.trustedDocumentsOnly ? TrustedDocuments.load() : null;

  const armor = new ApolloArmor({
    // Cost multiplies by a literal `first`: a full page (100) with person and handovers costs about 15,000.
    costLimit: { maxCost: 25000 },
    maxDepth: { n: 10 },
    // Aliases of __typename count too (armor exempts them by default; graphql-cop's probe uses them).
    maxAliases: { n: 15, allowList: [] },
    maxDirectives: { n: 20 },
    // graphql-armor's token limit parses in a plugin hook, where any syntax error becomes an HTTP 500;
    // graphql-js enforces the same limit in Apollo's own parse step (parseOptions below): HTTP 400.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !production,
    // index.ts owns shutdown (drain, jobs, pub/sub, database). Apollo's own SIGTERM handler raced it:
    // two concurrent stops hung until the 15 s force-exit, so every SIGTERM ended in exit code 1.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    formatError,
    ...protection,
    // No cache hints: every response is no-store (set below), and the cache-control plugin's
    // per-field hook would run for every field of every row.
    plugins: [
      ...protection.plugins,
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads Sandbox from a CDN; development gets the hub's own page instead.
      ApolloServerPluginLandingPageDisabled(),
      unstorableTextGuard(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      distinctErrorsPlugin(),
      readAuditPlugin(deps),
      loggingPlugin(deps),
      metrics.plugin,
      ...(trusted ? [trustedDocumentsPlugin(trusted)] : []),
    ],
    validationRules: [...protection.validationRules],
  });
  await apollo.start();
  const subscriptions = attachSubscriptions(httpServer, schema, deps, trusted);

  app.use((req, res, next) => {
    const given = req.header("x-request-id");
    // Prefixes the hub gives its other doors' requests (audit channel) are not the client's to claim.
    const id = given && REQUEST_ID.test(given) && !/^(fhir|export|ws)-/i.test(given) ? given : randomUUID();
    (req as Request & { requestId?: string }).requestId = id;
    res.setHeader("x-request-id", id);
    next();
  });

  app.use(helmet());

  app.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });

  app.get("/readyz", async (_req, res) => {
    try {
      const lag = (await Promise.race([
        currentSealLag(deps.dataSource),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref()),
      ])) as { unsealed: number; lagSeconds: number };
      // The stated maximum seal delay: exceeding it is reported, not a reason to take the hub out of service.
      const max = deps.config.audit.maxSealDelaySeconds;
      const auditSeal = { lagSeconds: Math.round(lag.lagSeconds * 1000) / 1000, maxSealDelaySeconds: max, withinMaxDelay: lag.lagSeconds <= max };
      res.status(200).json({ status: "ready", detail: { auditSeal } });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });

  // Prometheus metrics: behind METRICS_TOKEN when set; off in production without one.
  app.get("/metrics", (req, res, next) => {
    const token = deps.config.metricsToken;
    if (!token) return production ? res.status(404).end() : next();
    return req.header("authorization") === `Bearer ${token}` ? next() : res.status(401).setHeader("WWW-Authenticate", "Bearer").end();
  }, metrics.handler);
  // Witnessing the audit log: signed checkpoints, the public key and consistency proofs, no token.
  app.use("/audit", publicAuditLogRouter(deps));

  // The partner dashboard: static files with their own CSP (self only), data through /graphql.
  app.use("/dashboard", dashboardRouter(options.dashboardDir));

  if (!production) app.use(landingPage(schema));

  const limits = rateLimits(deps.config, deps.logger, metrics.rateLimited);
  const contextFor = async (req: Request): Promise<Context> => {
    const requestId = (req as Request & { requestId?: string }).requestId ?? randomUUID();
    const actor = await authenticate(deps.config, deps.dataSource, req.headers.authorization, requestId);
    return { ...deps, requestId, actor, loaders: new LoaderRegistry(), readLog: new ReadLog() };
  };
  app.use(
    "/graphql",
    (_req, res, next) => {
      // Responses carry personal data: no cache anywhere may keep them.
      res.setHeader("Cache-Control", "no-store");
      next();
    },
    ...limits.middleware,
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, { context: async ({ req }) => contextFor(req) }),
  );

  // Subject access report as CSV (AUDITOR): runs the subjectAccessReport query through the same schema.
  app.use("/export/subject-access", ...limits.middleware, subjectAccessExportRouter(deps, schema));
  // FHIR R4 read API: each interaction runs a GraphQL operation through the same schema (src/fhir/).
  app.use("/fhir/R4", ...limits.middleware, fhirRouter(deps, schema));
  // CSV of every aggregate and a service's own figures, through the same schema, rules and audit.
  app.use("/export", ...limits.middleware, exportRouter(apollo, contextFor));

  app.use(httpErrors(deps.logger));

  return {
    app,
    httpServer,
    apollo,
    schema,
    metrics,
    async stop() {
      await subscriptions.dispose();
      await apollo.stop();
      await limits.close();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
