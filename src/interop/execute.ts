import { randomUUID } from "node:crypto";
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { auditReadsOrWithhold, ReadLog } from "../core/audit/read-log.js";
import { authenticate } from "../core/auth/authenticate.js";
import { LoaderRegistry, type AppDeps, type Context } from "../core/context.js";
import { ErrorCode, isPublicCode } from "../core/errors.js";
import { isExpectedError, safeErrorForLog } from "../core/format-error.js";

// The hub's other doors (FHIR R4, CSV exports) do not decide anything themselves: they run a fixed
// GraphQL operation against the same guarded schema, with a context built exactly as /graphql
// builds it. So the permission map (graphql-shield), the services' scoping, the consent policy on
// identifying fields and the read audit (fail closed) are the very ones GraphQL uses.

/** A request to one of the other doors: authenticated like /graphql, with its own request id prefix. */
export async function contextFor(deps: AppDeps, authorization: string | undefined, prefix: "fhir" | "export"): Promise<Context> {
  const requestId = `${prefix}-${randomUUID()}`;
  const actor = await authenticate(deps.config, deps.dataSource, authorization, requestId);
  return { ...deps, requestId, actor, loaders: new LoaderRegistry(), readLog: new ReadLog() };
}

export interface OperationError {
  code: ErrorCode;
  /** Where in the result the error sits (a refused identifying field has its path). */
  path: ReadonlyArray<string | number>;
  message: string;
}

export interface OperationResult<T> {
  data: T | null;
  errors: OperationError[];
}

const documents = new Map<string, DocumentNode>();

function documentFor(schema: GraphQLSchema, source: string): DocumentNode {
  let doc = documents.get(source);
  if (!doc) {
    doc = parse(source);
    const problems = validate(schema, doc);
    // The operations are fixed strings in this code base: a validation failure is a programming error.
    if (problems.length > 0) throw new Error(`internal operation invalid: ${problems[0].message}`);
    documents.set(source, doc);
  }
  return doc;
}

/** A coded error from the GraphQL layer (HubError, shield's FORBIDDEN, validation's BAD_USER_INPUT); anything else is internal. */
function codeOf(e: GraphQLError): ErrorCode {
  const code = e.extensions?.code ?? (e.originalError as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return isExpectedError(e) && isPublicCode(code) ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * Runs one operation as the context's caller, then writes the request's identifying reads to the
 * audit log before anything is returned. If the audit write fails, the answer is withheld (thrown).
 */
export async function runOperation<T>(deps: AppDeps, schema: GraphQLSchema, ctx: Context, source: string, variables: Record<string, unknown> = {}): Promise<OperationResult<T>> {
  const result = await execute({ schema, document: documentFor(schema, source), variableValues: variables, contextValue: ctx });
  const errors = (result.errors ?? []).map((e) => {
    const code = codeOf(e);
    if (code === ErrorCode.INTERNAL_SERVER_ERROR) deps.logger.error({ requestId: ctx.requestId, path: e.path, err: safeErrorForLog(e.originalError ?? e) }, "unexpected error");
    return { code, path: e.path ?? [], message: code === ErrorCode.INTERNAL_SERVER_ERROR ? "Internal server error" : e.message };
  });
  const withheld = await auditReadsOrWithhold(deps, ctx);
  if (withheld) throw new AuditWithheldError();
  return { data: (result.data as T | null | undefined) ?? null, errors };
}

/** The read could not be audited, so its answer must not leave. */
export class AuditWithheldError extends Error {
  constructor() {
    super("audit write failed: answer withheld");
    this.name = "AuditWithheldError";
  }
}

/** HTTP status for a top-level error code. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.BAD_USER_INPUT:
      return 400;
    case ErrorCode.CONFLICT:
    case ErrorCode.INVALID_TRANSITION:
      return 409;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.CONSENT_REQUIRED:
      return 403;
    default:
      return 500;
  }
}

/** The code of a thrown error (authentication failures are HubErrors). */
export function thrownCode(e: unknown): ErrorCode {
  const code = (e as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return e instanceof GraphQLError && isPublicCode(code) ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}
