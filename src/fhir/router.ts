import { Router, type Request, type Response } from "express";
import type { GraphQLSchema } from "graphql";
import type { Resource } from "@medplum/fhirtypes";
import type { AppDeps, Context } from "../core/context.js";
import { safeErrorForLog } from "../core/format-error.js";
import { AuditWithheldError, contextFor, runOperation } from "../interop/execute.js";
import { capabilityStatement } from "./capability.js";
import { FhirError, invalid, notSupported, operationOutcome } from "./outcome.js";
import { bundle, HANDLERS, type Exec, type ResourceHandler, type SearchParams } from "./resources.js";

const COMMON = new Set(["_count", "_cursor", "_format"]);
const FORMATS = new Set(["json", "application/json", "application/fhir+json"]);
const FHIR_JSON = "application/fhir+json; charset=utf-8";

function send(res: Response, status: number, body: Resource): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

function sendError(res: Response, e: FhirError, requestId?: string): void {
  if (e.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="naloxone-hub"');
  const oo = operationOutcome(e.status >= 500 ? "fatal" : "error", e.code, e.message, e.hubCode ? { details: { coding: [{ system: "https://naloxone-hub.example/fhir/CodeSystem/error-code", code: e.hubCode }] } } : {});
  if (requestId && e.status >= 500) oo.issue[0].diagnostics = `${e.message} (request ${requestId})`;
  send(res, e.status, oo);
}

/** The query string as FHIR search parameters: only known names, each a plain string (or repeated where allowed). */
function searchParams(req: Request, allowed: Record<string, unknown>, pageMax: number): { params: SearchParams; self: URLSearchParams } {
  const self = new URLSearchParams();
  const values = new Map<string, string[]>();
  for (const [name, raw] of Object.entries(req.query)) {
    const list = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === "string" ? v : null));
    // Submitted names and values are never echoed: they could be anything, personal data included.
    if (!Object.hasOwn(allowed, name) && !COMMON.has(name)) throw notSupported(`Unknown or unsupported search parameter; supported here: ${[...Object.keys(allowed), ...COMMON].join(", ")}`);
    if (list.some((v) => v === null || v.length > 200)) throw invalid("A search parameter value is malformed");
    if (list.length > 1 && name !== "date") throw invalid("A search parameter is repeated; give it once");
    values.set(name, list as string[]);
    for (const v of list as string[]) if (name !== "_format") self.append(name, v);
  }
  const format = values.get("_format")?.[0];
  if (format !== undefined && !FORMATS.has(format)) throw new FhirError(406, "not-supported", "Only JSON is served (_format=json)");
  const countRaw = values.get("_count")?.[0];
  let count: number | undefined;
  if (countRaw !== undefined) {
    count = Number(countRaw);
    if (!/^\d{1,4}$/.test(countRaw) || count < 1 || count > pageMax) throw invalid(`_count must be a whole number from 1 to ${pageMax}`);
  }
  const cursor = values.get("_cursor")?.[0];
  if (count !== undefined) self.set("_count", String(count));
  return {
    params: { get: (n) => values.get(n)?.[0], all: (n) => values.get(n) ?? [], count, cursor },
    self,
  };
}

/** The handler of a resource type named in the path (own keys only: `constructor` is not a resource). */
function handlerFor(type: unknown): ResourceHandler | null {
  return typeof type === "string" && Object.hasOwn(HANDLERS, type) ? HANDLERS[type] : null;
}

/**
 * FHIR R4 at /fhir/R4: read and search over the hub's records, JSON, bearer tokens. Every data
 * interaction runs a GraphQL operation through the same guarded schema as /graphql (see
 * interop/execute.ts), so it has no decision of its own to drift.
 */
export function fhirRouter(deps: AppDeps, schema: GraphQLSchema): Router {
  const router = Router();
  const base = (req: Request) => `${req.protocol}://${req.get("host") ?? "localhost"}${req.baseUrl}`;

  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  router.get("/metadata", (req, res) => {
    send(res, 200, capabilityStatement(base(req), deps.clock.now().toISOString()));
  });

  const exec = (ctx: Context): Exec => ({
    run: (source, variables) => runOperation(deps, schema, ctx, source, variables),
    consentPerson: async (id) => ((await deps.dataSource.query(`SELECT "personId" FROM consent WHERE id = $1`, [id])) as Array<{ personId: string }>)[0]?.personId ?? null,
    callerAgencyCode: ctx.actor?.agency.code ?? "",
    pageMax: deps.config.pageSize.max,
  });

  async function handle(req: Request, res: Response, work: (x: Exec) => Promise<{ status: number; body: Resource }>): Promise<void> {
    let ctx: Context;
    try {
      ctx = await contextFor(deps, req.headers.authorization, "fhir");
    } catch (e) {
      const code = (e as { extensions?: { code?: string } }).extensions?.code;
      if (code === "UNAUTHENTICATED") return sendError(res, new FhirError(401, "login", "A valid bearer token is required"));
      deps.logger.error({ err: safeErrorForLog(e) }, "fhir authentication failed");
      return sendError(res, new FhirError(500, "exception", "Internal server error"));
    }
    // The id the audit rows carry, so a client can quote it.
    res.setHeader("x-request-id", ctx.requestId);
    try {
      const { status, body } = await work(exec(ctx));
      send(res, status, body);
    } catch (e) {
      if (e instanceof FhirError) return sendError(res, e, ctx.requestId);
      if (!(e instanceof AuditWithheldError)) deps.logger.error({ requestId: ctx.requestId, err: safeErrorForLog(e) }, "fhir request failed");
      sendError(res, new FhirError(500, "exception", "Internal server error"), ctx.requestId);
    }
  }

  router.get("/:type", async (req, res) => {
    const handler = handlerFor(req.params.type);
    if (!handler) return sendError(res, notSupported("Unknown or unsupported resource type; see /fhir/R4/metadata", 404));
    await handle(req, res, async (x) => {
      const { params, self } = searchParams(req, handler.searchParams, x.pageMax);
      const id = params.get("_id");
      if (id !== undefined) {
        if (!handler.read) throw notSupported("_id is not supported for this resource type");
        try {
          const { resource, issues } = await handler.read(x, id);
          return { status: 200, body: bundle(base(req), handler.type, self, { resources: [resource], next: null, issues }, true) };
        } catch (e) {
          if (e instanceof FhirError && e.status === 404) return { status: 200, body: bundle(base(req), handler.type, self, { resources: [], next: null, issues: [] }, true) };
          throw e;
        }
      }
      if (!handler.search) throw notSupported("Search is not supported for this resource type; read by id");
      return { status: 200, body: bundle(base(req), handler.type, self, await handler.search(x, params), params.cursor === undefined) };
    });
  });

  router.get("/:type/:id", async (req, res) => {
    const handler = handlerFor(req.params.type);
    if (!handler) return sendError(res, notSupported("Unknown or unsupported resource type; see /fhir/R4/metadata", 404));
    if (!handler.read) return sendError(res, notSupported("Read is not supported for this resource type; search it", 400));
    if (Object.keys(req.query).some((k) => k !== "_format")) return sendError(res, notSupported("A read takes no parameters but _format"));
    const format = req.query._format;
    if (format !== undefined && !(typeof format === "string" && FORMATS.has(format))) return sendError(res, new FhirError(406, "not-supported", "Only JSON is served (_format=json)"));
    await handle(req, res, async (x) => ({ status: 200, body: (await handler.read!(x, req.params.id as string)).resource }));
  });

  // Anything else: other methods (the API is read-only) and deeper paths.
  router.use((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, new FhirError(405, "not-supported", "This FHIR API is read-only"));
    sendError(res, notSupported("Unknown or unsupported interaction; see /fhir/R4/metadata", 404));
  });

  return router;
}
