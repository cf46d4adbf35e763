import type {
  AuditEvent, AuditEventAgent, AuditEventEntity, Coding, Consent, ConsentProvisionActor, Extension, Meta, MedicationAdministration, Patient, Reference, ServiceRequest, Task,
} from "@medplum/fhirtypes";
import {
  AGENCY_KIND_SYSTEM, AGENCY_SYSTEM, GEOLOCATION, HUB_CS, HUB_EXT, MASKED, NALOXONE, NASAL_ROUTE, REDACTED, userSystem,
} from "./codes.js";

// Pure translations from what the GraphQL layer answered into FHIR R4 resources. Nothing here
// decides access: a field the GraphQL layer refused arrives as `withheld` and is left out.

export interface AgencyRef {
  code: string;
  name: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const agencyRef = (a: AgencyRef): Reference<any> => ({ identifier: { system: AGENCY_SYSTEM, value: a.code }, display: a.name });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const patientRef = (id: string): Reference<any> => ({ reference: `Patient/${id}` });
const redactedMeta = (withheld: boolean): { meta?: Meta } => (withheld ? { meta: { security: [{ ...REDACTED }] } } : {});

// ---- Patient ---------------------------------------------------------------------------------

export interface PersonView {
  id: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  gender: string | null;
}

const GENDER: Record<string, Patient["gender"]> = { FEMALE: "female", MALE: "male", OTHER: "other", UNKNOWN: "unknown" };

/** `withheld` lists the fields the consent policy refused: they are absent, marked masked, and the resource labelled REDACTED. */
/** Primitive elements' extensions (`_gender`, `_birthDate`), which the R4 JSON format allows and the typings omit. */
export type PatientJson = Patient & { _gender?: { extension: Extension[] }; _birthDate?: { extension: Extension[] } };

export function toPatient(p: PersonView, withheld: ReadonlySet<string>): PatientJson {
  const nameWithheld = withheld.has("givenName") || withheld.has("familyName");
  const patient: PatientJson = { resourceType: "Patient", id: p.id, ...redactedMeta(withheld.size > 0) };
  if (nameWithheld) patient.name = [{ extension: MASKED }];
  else if (p.givenName || p.familyName) patient.name = [{ ...(p.familyName ? { family: p.familyName } : {}), ...(p.givenName ? { given: [p.givenName] } : {}) }];
  if (withheld.has("gender")) patient._gender = { extension: MASKED };
  else if (p.gender) patient.gender = GENDER[p.gender] ?? "unknown";
  if (withheld.has("dateOfBirth")) patient._birthDate = { extension: MASKED };
  else if (p.dateOfBirth) patient.birthDate = p.dateOfBirth;
  return patient;
}

// ---- Consent ---------------------------------------------------------------------------------

export interface ConsentView {
  id: string;
  personId: string;
  decision: "GIVEN" | "REFUSED";
  purposes: string[];
  recipientKinds: string[];
  recipientAgencyCodes: string[];
  method: string;
  obtainedAt: string;
  expiresAt: string | null;
  recordedAt: string;
  withdrawnAt: string | null;
  status: "ACTIVE" | "EXPIRED" | "WITHDRAWN" | "REFUSED";
  recordedByAgency: AgencyRef;
}

/** R4 Consent (base R4, not checked against UK Core): privacy scope, opt-in or opt-out, recipients and purposes as provisions. */
export function toConsent(c: ConsentView): Consent {
  const actors: ConsentProvisionActor[] = [
    ...c.recipientAgencyCodes.map((code) => ({
      role: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "IRCP", display: "information recipient" }] },
      reference: { identifier: { system: AGENCY_SYSTEM, value: code } },
    })),
    ...c.recipientKinds.map((kind) => ({
      role: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "IRCP", display: "information recipient" }] },
      reference: { identifier: { system: AGENCY_KIND_SYSTEM, value: kind }, display: `Any ${kind} serving an area of the person's incidents` },
    })),
  ];
  const end = c.withdrawnAt ?? c.expiresAt;
  return {
    resourceType: "Consent",
    id: c.id,
    status: c.status === "ACTIVE" || c.status === "REFUSED" ? "active" : "inactive",
    scope: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/consentscope", code: "patient-privacy", display: "Privacy Consent" }] },
    category: [{ coding: [{ system: "http://loinc.org", code: "59284-0", display: "Patient Consent" }] }],
    patient: patientRef(c.personId),
    dateTime: c.obtainedAt,
    organization: [agencyRef(c.recordedByAgency)],
    policyRule: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: c.decision === "GIVEN" ? "OPTIN" : "OPTOUT" }] },
    extension: [{ url: HUB_EXT.consentMethod, valueCoding: { system: HUB_CS.consentMethod, code: c.method } }],
    provision: {
      type: c.decision === "GIVEN" ? "permit" : "deny",
      period: { start: c.obtainedAt, ...(end ? { end } : {}) },
      ...(actors.length > 0 ? { actor: actors } : {}),
      purpose: c.purposes.map((p) => ({ system: HUB_CS.purpose, code: p })),
    },
  };
}

// ---- Referrals: ServiceRequest and Task ------------------------------------------------------

export interface ReferralView {
  id: string;
  pathway: string;
  status: string;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  outcome: string | null;
  firstContactAt: string | null;
  closedAt: string | null;
  incident: { id: string };
  person: { id: string };
  fromAgency: AgencyRef;
  toAgency: AgencyRef;
  events: Array<{ type: string; at: string }>;
}

/** The referral state machine (referral.state.ts) in FHIR's Task statuses. */
export const TASK_STATUS: Record<string, Task["status"]> = {
  OPEN: "requested",
  ACCEPTED: "accepted",
  CONTACT_ATTEMPTED: "in-progress",
  ENGAGED: "in-progress",
  DECLINED: "rejected",
  CLOSED: "completed",
  WITHDRAWN: "cancelled",
};
export const SERVICE_REQUEST_STATUS: Record<string, ServiceRequest["status"]> = {
  OPEN: "active",
  ACCEPTED: "active",
  CONTACT_ATTEMPTED: "active",
  ENGAGED: "active",
  DECLINED: "revoked",
  CLOSED: "completed",
  WITHDRAWN: "revoked",
};

const pathwayConcept = (pathway: string) => ({ coding: [{ system: HUB_CS.pathway, code: pathway }] });

export function toServiceRequest(r: ReferralView): ServiceRequest {
  return {
    resourceType: "ServiceRequest",
    id: r.id,
    status: SERVICE_REQUEST_STATUS[r.status] ?? "unknown",
    intent: "order",
    category: [pathwayConcept(r.pathway)],
    code: { text: "Referral for support after a non-fatal opioid overdose", coding: [{ system: HUB_CS.pathway, code: r.pathway }] },
    subject: patientRef(r.person.id),
    authoredOn: r.createdAt,
    requester: agencyRef(r.fromAgency),
    performer: [agencyRef(r.toAgency)],
    reasonReference: [{ reference: `MedicationAdministration/${r.incident.id}` }],
  };
}

export function toTask(r: ReferralView): Task {
  const last = r.events.reduce((m, e) => (e.at > m ? e.at : m), r.createdAt);
  return {
    resourceType: "Task",
    id: r.id,
    status: TASK_STATUS[r.status] ?? "requested",
    businessStatus: { coding: [{ system: HUB_CS.referralStatus, code: r.status }] },
    ...(r.status === "WITHDRAWN" ? { statusReason: { text: "The consent the referral rested on was withdrawn" } } : {}),
    intent: "order",
    code: { coding: [{ system: "http://hl7.org/fhir/CodeSystem/task-code", code: "fulfill" }] },
    basedOn: [{ reference: `ServiceRequest/${r.id}` }],
    focus: { reference: `ServiceRequest/${r.id}` },
    for: patientRef(r.person.id),
    authoredOn: r.createdAt,
    lastModified: last,
    requester: agencyRef(r.fromAgency),
    owner: agencyRef(r.toAgency),
    executionPeriod: { start: r.createdAt, ...(r.closedAt ? { end: r.closedAt } : {}) },
    restriction: { period: { end: r.dueAt } },
    extension: [{ url: HUB_EXT.referralOverdue, valueBoolean: r.overdue }],
    ...(r.outcome ? { output: [{ type: { text: "outcome" }, valueCode: r.outcome }] } : {}),
  };
}

// ---- MedicationAdministration ----------------------------------------------------------------

export interface IncidentView {
  id: string;
  occurredAt: string;
  dosesAdministered: number;
  outcome: string;
  location: { lat: number; lng: number } | null;
  recordingAgency: AgencyRef;
  person: { id: string };
}

/** A police naloxone administration: intranasal, doses given, time, outcome; precise location only where the caller may see it. */
export function toMedicationAdministration(i: IncidentView, locationWithheld: boolean): MedicationAdministration {
  const extension: Extension[] = [{ url: HUB_EXT.naloxoneOutcome, valueCoding: { system: HUB_CS.outcome, code: i.outcome } }];
  if (!locationWithheld && i.location) {
    extension.push({ url: GEOLOCATION, extension: [{ url: "latitude", valueDecimal: i.location.lat }, { url: "longitude", valueDecimal: i.location.lng }] });
  }
  return {
    resourceType: "MedicationAdministration",
    id: i.id,
    ...redactedMeta(locationWithheld),
    status: "completed",
    medicationCodeableConcept: { coding: [{ ...NALOXONE }], text: "Naloxone (intranasal)" },
    subject: patientRef(i.person.id),
    effectiveDateTime: i.occurredAt,
    performer: [{ actor: agencyRef(i.recordingAgency) }],
    dosage: {
      text: `${i.dosesAdministered} intranasal dose${i.dosesAdministered === 1 ? "" : "s"}`,
      route: { coding: [{ ...NASAL_ROUTE }] },
      dose: { value: i.dosesAdministered, unit: "dose", system: "http://unitsofmeasure.org", code: "{dose}" },
    },
    note: [{ text: `Outcome: ${i.outcome}` }],
    extension,
  };
}

// ---- AuditEvent (IHE BALP shape) -------------------------------------------------------------

export interface AuditView {
  id: string;
  at: string;
  requestId: string | null;
  actorSub: string | null;
  actorAgencyCode: string | null;
  actorRoles: string[];
  action: string;
  entityType: string;
  entityId: string | null;
  personId: string | null;
  purpose: string | null;
  basis: string | null;
  fields: string[];
}

const FHIR_TYPE_OF: Record<string, string> = { Person: "Patient", Incident: "MedicationAdministration", Referral: "Task", Consent: "Consent" };

/** The RESTful interaction and action code (C R U D E) an audited hub action amounts to. */
export function interactionOf(action: string): { subtype: string; action: AuditEvent["action"] } {
  if (action.startsWith("PERSON_READ") || action === "SUBJECT_ACCESS_REPORT") return { subtype: "read", action: "R" };
  if (action === "PERSON_LOOKUP" || action === "AGGREGATE_READ") return { subtype: "search-type", action: "E" };
  if (action === "RETENTION_ERASED") return { subtype: "patch", action: "D" };
  if (/_(RECORDED|CREATED|GIVEN|REFUSED|GRANTED)$/.test(action)) return { subtype: "create", action: "C" };
  return { subtype: "update", action: "U" };
}

export function toAuditEvent(e: AuditView): AuditEvent {
  const { subtype, action } = interactionOf(e.action);
  const denied = e.action.endsWith("_DENIED");
  const agents: AuditEventAgent[] = [];
  if (e.actorSub && e.actorAgencyCode) {
    agents.push({
      type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "IRCP", display: "information recipient" }] },
      who: { identifier: { system: userSystem(e.actorAgencyCode), value: e.actorSub } },
      requestor: true,
      role: e.actorRoles.length > 0 ? [{ coding: e.actorRoles.map((r): Coding => ({ system: HUB_CS.role, code: r })) }] : undefined,
      ...(e.purpose ? { purposeOfUse: [{ coding: [{ system: HUB_CS.purpose, code: e.purpose }] }] } : {}),
    });
    agents.push({ type: { text: "agency" }, who: { identifier: { system: AGENCY_SYSTEM, value: e.actorAgencyCode } }, requestor: false });
  } else {
    agents.push({ type: { coding: [{ system: "http://dicom.nema.org/resources/ontology/DCM", code: "110150", display: "Application" }] }, who: { display: "Naloxone Hub" }, requestor: true });
  }
  const entities: AuditEventEntity[] = [];
  if (e.personId) {
    entities.push({
      what: { reference: `Patient/${e.personId}` },
      type: { system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "1", display: "Person" },
      role: { system: "http://terminology.hl7.org/CodeSystem/object-role", code: "1", display: "Patient" },
      ...(e.fields.length > 0 || e.basis
        ? { detail: [...(e.fields.length > 0 ? [{ type: "fields", valueString: e.fields.join(" ") }] : []), ...(e.basis ? [{ type: denied ? "refusal" : "basis", valueString: e.basis }] : [])] }
        : {}),
    });
  }
  if (e.entityId && e.entityType !== "Person") {
    const fhirType = FHIR_TYPE_OF[e.entityType];
    entities.push({
      what: fhirType ? { reference: `${fhirType}/${e.entityId}` } : { identifier: { system: `urn:naloxone-hub:${e.entityType}`, value: e.entityId } },
      type: { system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "2", display: "System Object" },
      role: { system: "http://terminology.hl7.org/CodeSystem/object-role", code: "4", display: "Domain Resource" },
    });
  }
  if (e.requestId) {
    entities.push({ what: { identifier: { value: e.requestId } }, type: { system: "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType", code: "XrequestId" } });
  }
  return {
    resourceType: "AuditEvent",
    id: e.id,
    type: { system: "http://terminology.hl7.org/CodeSystem/audit-event-type", code: "rest", display: "RESTful Operation" },
    subtype: [{ system: "http://hl7.org/fhir/restful-interaction", code: subtype }, { system: HUB_CS.auditAction, code: e.action }],
    action,
    recorded: e.at,
    outcome: denied ? "4" : "0",
    ...(denied ? { outcomeDesc: "Refused: no consent or lawful basis" } : {}),
    ...(e.purpose ? { purposeOfEvent: [{ coding: [{ system: HUB_CS.purpose, code: e.purpose }] }] } : {}),
    agent: agents,
    source: { observer: { display: "Naloxone Hub" }, type: [{ system: "http://terminology.hl7.org/CodeSystem/security-source-type", code: "4", display: "Application Server" }] },
    ...(entities.length > 0 ? { entity: entities } : {}),
  };
}
