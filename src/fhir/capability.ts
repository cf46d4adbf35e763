import type { CapabilityStatement } from "@medplum/fhirtypes";
import { HANDLERS } from "./resources.js";

/** What /fhir/R4 serves: read and search-type of each resource, JSON only, bearer tokens. */
export function capabilityStatement(base: string, date: string): CapabilityStatement {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date,
    publisher: "Naloxone Hub",
    kind: "instance",
    software: { name: "Naloxone Hub" },
    implementation: { description: "Naloxone Hub FHIR R4 read API: the same permissions, consent and audit as its GraphQL API", url: base },
    fhirVersion: "4.0.1",
    format: ["json"],
    rest: [
      {
        mode: "server",
        documentation:
          "Read-only views of the hub's records. Identifying elements the caller may not see are absent, marked with a data-absent-reason (masked), the resource labelled REDACTED in meta.security, and, in searches, listed in an OperationOutcome entry. Unknown parameters are refused (400).",
        security: {
          cors: false,
          service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "OAuth", display: "OAuth" }] }],
          description: "Authorization: Bearer <JWT> (HS256), the same tokens as the GraphQL API",
        },
        resource: Object.values(HANDLERS).map((h) => ({
          type: h.type,
          interaction: [...(h.read ? [{ code: "read" as const }] : []), ...(h.search || h.read ? [{ code: "search-type" as const }] : [])],
          searchParam: [
            ...Object.entries(h.searchParams).map(([name, p]) => ({ name, type: p.type, documentation: p.documentation })),
            ...(h.search ? [{ name: "_count", type: "number" as const, documentation: "Page size (at most PAGE_SIZE_MAX)" }] : []),
          ],
        })),
      },
    ],
  };
}
