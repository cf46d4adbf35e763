// Code systems and extension URLs the hub's FHIR views use. Standard ones where FHIR or HL7 UK
// define them; the hub's own (purposes, pathways, roles, outcomes) under one base URL.

export const HUB = "https://naloxone-hub.example/fhir";
export const HUB_CS = {
  purpose: `${HUB}/CodeSystem/purpose`,
  pathway: `${HUB}/CodeSystem/pathway`,
  referralStatus: `${HUB}/CodeSystem/referral-status`,
  role: `${HUB}/CodeSystem/role`,
  agencyKind: `${HUB}/CodeSystem/agency-kind`,
  outcome: `${HUB}/CodeSystem/naloxone-outcome`,
  auditAction: `${HUB}/CodeSystem/audit-action`,
  consentMethod: `${HUB}/CodeSystem/consent-method`,
  basis: `${HUB}/CodeSystem/access-basis`,
} as const;
export const HUB_EXT = {
  naloxoneOutcome: `${HUB}/StructureDefinition/naloxone-outcome`,
  consentMethod: `${HUB}/StructureDefinition/consent-method`,
  referralOverdue: `${HUB}/StructureDefinition/referral-overdue`,
} as const;
/** Identifier systems: agencies by code, users by their id at their agency. */
export const AGENCY_SYSTEM = "urn:naloxone-hub:agency";
export const AGENCY_KIND_SYSTEM = "urn:naloxone-hub:agency-kind";
export const userSystem = (agencyCode: string) => `urn:naloxone-hub:agency:${agencyCode}:user`;

export const DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
export const GEOLOCATION = "http://hl7.org/fhir/StructureDefinition/geolocation";
/** meta.security label for a resource with elements withheld (HL7 v3 ObservationValue). */
export const REDACTED = { system: "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", code: "REDACTED", display: "redacted" } as const;
export const MASKED = [{ url: DATA_ABSENT_REASON, valueCode: "masked" }];

export const SNOMED = "http://snomed.info/sct";
export const NALOXONE = { system: SNOMED, code: "372890007", display: "Naloxone" } as const;
export const NASAL_ROUTE = { system: SNOMED, code: "46713006", display: "Nasal route" } as const;
