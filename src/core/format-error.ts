import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ErrorCode, HubError, isPublicCode } from "./errors.js";

/**
 * Error messages from GraphQL's own input coercion quote the submitted value, which may be a name or
 * a date of birth. Keep the field path and the rule; drop the value.
 */
export function scrubValues(message: string): string {
  // Syntax errors quote the offending token, which may be a name typed into the document.
  if (/^Syntax Error: /.test(message)) return message.replace(/".*"/s, '"…"');
  return message
    .replace(/got invalid value .*?(; | at "|$)/s, (_m, tail: string) => `got an invalid value${tail}`)
    .replace(/(cannot represent an invalid [\w-]+)\b.*$/s, "$1.")
    .replace(/(Value is not a valid \w+)\b.*$/s, "$1.")
    .replace(/(cannot represent[^:]*): .*$/s, "$1.")
    .replace(/(Expected value of type "[^"]+"), found .*$/s, "$1.")
    .replace(/(Value ").*?(" does not exist in)/s, "$1…$2")
    .replace(/(String cannot represent a non string value|Int cannot represent non-integer value|Float cannot represent non numeric value)[^.]*/s, "$1");
}

/** Keep what helps an operator and cannot carry personal data (driver messages can quote values). */
export function safeErrorForLog(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const driver = (err as { driverError?: unknown }).driverError ?? err;
  const d = driver as Record<string, unknown>;
  if (typeof d.code === "string" && typeof d.severity === "string") {
    return { name: err.name, pgCode: d.code, constraint: d.constraint, table: d.table, column: d.column, routine: d.routine };
  }
  return { name: err.name, message: err.message, stack: err.stack?.split("\n").slice(1, 8).join("\n") };
}

const APOLLO_INPUT_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

export function isExpectedError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof HubError) return true;
  const code = (original as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === "string" && (APOLLO_INPUT_CODES.has(code) || (isPublicCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR));
}

/**
 * Every error leaves with a code from the contract and nothing else: no stack, no internals.
 * Unexpected errors become INTERNAL_SERVER_ERROR; the logging plugin adds the request id to them
 * and logs them without personal data.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const base = { locations: formatted.locations, path: formatted.path };
  const code = formatted.extensions?.code;
  if (typeof code === "string" && APOLLO_INPUT_CODES.has(code) && !(unwrapResolverError(error) instanceof HubError)) {
    const tooComplex = /^Syntax Error: .*(exceeded|contains more th\w* \d+ tokens)/i.test(formatted.message);
    return {
      ...base,
      message: scrubValues(tooComplex ? formatted.message.replace(/^Syntax Error: /, "") : formatted.message),
      extensions: { code: tooComplex ? ErrorCode.QUERY_TOO_COMPLEX : ErrorCode.BAD_USER_INPUT },
    };
  }
  if (isExpectedError(error)) {
    const { problems, retryAfterSeconds } = formatted.extensions ?? {};
    const extensions: Record<string, unknown> = { code };
    if (problems !== undefined) extensions.problems = problems;
    if (retryAfterSeconds !== undefined) extensions.retryAfterSeconds = retryAfterSeconds;
    return { ...base, message: formatted.message.replace(/^Context creation failed: /, ""), extensions };
  }
  return { ...base, message: "Internal server error", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/**
 * A request refused before execution (parsing, validation, variable coercion) answers each distinct
 * problem once. graphql-js reports a problem at every place it occurs, so a document repeating one
 * unknown directive ten times got ten errors back: work done per repetition, and the signal
 * graphql-cop's "Directive Overloading" probe looks for. Field errors of an executed request (which
 * has data) keep their paths and are left alone.
 */
export function distinctRequestErrors<E extends GraphQLFormattedError>(errors: readonly E[]): E[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${String(e.extensions?.code)}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
