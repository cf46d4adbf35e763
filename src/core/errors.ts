import { GraphQLError } from "graphql";

// The error codes are part of the public API (see the contract). Messages name the field and the
// rule broken; they never carry internals or personal data.
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  CONSENT_REQUIRED: "CONSENT_REQUIRED",
  NOT_FOUND: "NOT_FOUND",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  CONFLICT: "CONFLICT",
  INVALID_TRANSITION: "INVALID_TRANSITION",
  RATE_LIMITED: "RATE_LIMITED",
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode));

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
};

export class HubError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    const status = HTTP_STATUS[code];
    super(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
  }
}

/** One broken input rule: the field path (as the client sent it) and the rule in words. */
export interface InputProblem {
  field: string;
  rule: string;
}

export const unauthenticated = (message = "A valid bearer token is required") =>
  new HubError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message = "Your role does not allow this operation") =>
  new HubError(ErrorCode.FORBIDDEN, message);

export const notFound = (what: string) => new HubError(ErrorCode.NOT_FOUND, `${what} not found`);

export const conflict = (message: string) => new HubError(ErrorCode.CONFLICT, message);

export const consentRequired = (message = "No active consent or lawful basis covers this data") =>
  new HubError(ErrorCode.CONSENT_REQUIRED, message);

export const invalidTransition = (message: string) =>
  new HubError(ErrorCode.INVALID_TRANSITION, message);

export function badInput(problems: InputProblem[]): HubError {
  const first = problems[0];
  const message =
    problems.length === 1
      ? `${first.field}: ${first.rule}`
      : `${problems.length} input rules broken; first ${first.field}: ${first.rule}`;
  return new HubError(ErrorCode.BAD_USER_INPUT, message, { problems });
}

export function isPublicCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && PUBLIC_CODES.has(code);
}
