import type { OperationOutcome, OperationOutcomeIssue } from "@medplum/fhirtypes";

export type IssueCode = OperationOutcomeIssue["code"];

/** A FHIR-shaped failure: its HTTP status and one issue. Messages never carry submitted values. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    readonly hubCode?: string,
  ) {
    super(message);
    this.name = "FhirError";
  }
}

export function operationOutcome(severity: OperationOutcomeIssue["severity"], code: IssueCode, text: string, extra: Partial<OperationOutcomeIssue> = {}): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity, code, diagnostics: text, ...extra }] };
}

export const notFound = (what = "Resource") => new FhirError(404, "not-found", `${what} not found`, "NOT_FOUND");
export const notSupported = (text: string, status = 400) => new FhirError(status, "not-supported", text);
export const invalid = (text: string) => new FhirError(400, "invalid", text, "BAD_USER_INPUT");
