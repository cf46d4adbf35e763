import type { Bundle, BundleEntry, OperationOutcomeIssue, Resource } from "@medplum/fhirtypes";
import { ErrorCode } from "../core/errors.js";
import { isUuid } from "../core/ids.js";
import type { OperationError, OperationResult } from "../interop/execute.js";
import { AGENCY_SYSTEM } from "./codes.js";
import {
  TASK_STATUS, toAuditEvent, toConsent, toMedicationAdministration, toPatient, toServiceRequest, toTask,
  type AuditView, type ConsentView, type IncidentView, type PersonView, type ReferralView,
} from "./mappers.js";
import { FhirError, invalid, notFound, notSupported } from "./outcome.js";

// Each FHIR interaction is one fixed GraphQL operation run as the caller (interop/execute.ts):
// the permission map decides who may call it, the service behind the query decides which rows
// exist for the caller, the consent policy decides each identifying field, and the read audit
// records what was seen. This file only picks the operation and translates the answer.

export interface Exec {
  run<T>(source: string, variables?: Record<string, unknown>): Promise<OperationResult<T>>;
  /** Looks up which person a consent is about (an index, not a decision: the person query decides). */
  consentPerson(id: string): Promise<string | null>;
  callerAgencyCode: string;
  pageMax: number;
}

export interface SearchResult {
  resources: Resource[];
  next: string | null;
  issues: OperationOutcomeIssue[];
}

export interface SearchParams {
  get(name: string): string | undefined;
  all(name: string): string[];
  count: number | undefined;
  cursor: string | undefined;
}

export interface ResourceHandler {
  type: Resource["resourceType"];
  read?: (x: Exec, id: string) => Promise<{ resource: Resource; issues: OperationOutcomeIssue[] }>;
  /** Search parameters beyond the common ones (_count, _cursor, _format), with their FHIR type and meaning. */
  searchParams: Record<string, { type: "token" | "reference" | "date"; documentation: string }>;
  search?: (x: Exec, q: SearchParams) => Promise<SearchResult>;
}

// ---- translating the GraphQL answer ------------------------------------------------------------

const STATUS: Partial<Record<ErrorCode, [number, OperationOutcomeIssue["code"]]>> = {
  NOT_FOUND: [404, "not-found"],
  FORBIDDEN: [403, "forbidden"],
  UNAUTHENTICATED: [401, "login"],
  BAD_USER_INPUT: [400, "invalid"],
  RATE_LIMITED: [429, "throttled"],
};

/** Fails the interaction on any error that is not a withheld identifying field. */
function failOn(result: OperationResult<unknown>, what: string): void {
  const hard = result.errors.find((e) => e.code !== ErrorCode.CONSENT_REQUIRED || e.path.length <= 1);
  if (!hard) return;
  const internal = result.errors.find((e) => e.code === ErrorCode.INTERNAL_SERVER_ERROR);
  const e = internal ?? hard;
  const [status, code] = STATUS[e.code] ?? [500, "exception"];
  throw new FhirError(status, code, status === 404 ? `${what} not found` : status === 500 ? "Internal server error" : e.message, e.code);
}

/** The identifying fields refused under `prefix` (each a CONSENT_REQUIRED error one level below). */
function withheldUnder(errors: OperationError[], prefix: ReadonlyArray<string | number>): Set<string> {
  const out = new Set<string>();
  for (const e of errors) {
    if (e.code !== ErrorCode.CONSENT_REQUIRED || e.path.length !== prefix.length + 1) continue;
    if (prefix.every((p, i) => e.path[i] === p)) out.add(String(e.path[prefix.length]));
  }
  return out;
}

const withheldIssue = (ref: string, fields: Iterable<string>): OperationOutcomeIssue => ({
  severity: "information",
  code: "suppressed",
  details: { coding: [{ system: "https://naloxone-hub.example/fhir/CodeSystem/error-code", code: "CONSENT_REQUIRED" }], text: "No active consent or lawful basis lets your agency see these elements" },
  diagnostics: `${ref}: withheld ${[...fields].sort().join(", ")}`,
  expression: [...fields].sort().map((f) => `${ref.split("/")[0]}.${f}`),
});

/** A reference parameter's id: `Type/id`, a bare id, or (for agencies) `system|code`. */
function referenceId(value: string, type: string): string {
  const v = value.trim();
  if (v.startsWith(`${type}/`)) return v.slice(type.length + 1);
  if (v.includes("/")) throw notSupported(`Only ${type} references are supported here`);
  return v;
}
function agencyCode(value: string): string {
  const v = value.trim();
  if (v.startsWith(`${AGENCY_SYSTEM}|`)) return v.slice(AGENCY_SYSTEM.length + 1);
  if (v.startsWith("Organization/")) return v.slice("Organization/".length);
  if (v.includes("|") || v.includes("/")) throw notSupported("Agencies are named by code, Organization/CODE or urn:naloxone-hub:agency|CODE");
  return v;
}

// ---- operations --------------------------------------------------------------------------------

const PERSON_FIELDS = "id givenName familyName dateOfBirth gender";
const PATIENT_Q = `query FhirPatient($id: ID!) { person(id: $id) { ${PERSON_FIELDS} } }`;
const CONSENT_FIELDS = "id personId decision purposes recipientKinds recipientAgencyCodes method obtainedAt expiresAt recordedAt withdrawnAt status recordedByAgency { code name }";
const CONSENTS_Q = `query FhirConsents($id: ID!) { person(id: $id) { id consents { ${CONSENT_FIELDS} } } }`;
const REFERRAL_FIELDS = "id pathway status createdAt dueAt overdue outcome firstContactAt closedAt incident { id } person { id } fromAgency { code name } toAgency { code name } events { type at }";
const REFERRAL_Q = `query FhirReferral($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`;
const INBOX_Q = `query FhirInbox($filter: ReferralFilter, $first: Int, $after: String) { referrals(filter: $filter, first: $first, after: $after) { edges { node { ${REFERRAL_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const INCIDENT_FIELDS = "id occurredAt dosesAdministered outcome location { lat lng } recordingAgency { code name } person { id }";
const INCIDENT_Q = `query FhirIncident($id: ID!) { incident(id: $id) { ${INCIDENT_FIELDS} } }`;
const INCIDENTS_Q = `query FhirIncidents($first: Int, $after: String) { incidents(first: $first, after: $after) { edges { node { ${INCIDENT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const AUDIT_Q = `query FhirAudit($filter: AuditEventFilter, $first: Int, $after: String) { auditEvents(filter: $filter, first: $first, after: $after) {
  edges { node { id at requestId actorSub actorAgencyCode actorRoles action entityType entityId personId purpose basis fields } } pageInfo { hasNextPage endCursor } } }`;

interface Page<T> {
  edges: Array<{ node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function readPatient(x: Exec, id: string) {
  const r = await x.run<{ person: PersonView }>(PATIENT_Q, { id });
  failOn(r, "Patient");
  if (!r.data?.person) throw notFound("Patient");
  const withheld = withheldUnder(r.errors, ["person"]);
  return { resource: toPatient(r.data.person, withheld), issues: withheld.size > 0 ? [withheldIssue(`Patient/${id}`, withheld)] : [] };
}

/** The person's consents as the caller may see them; null when the consent policy withholds them. */
async function consentsOf(x: Exec, personId: string): Promise<ConsentView[] | null> {
  const r = await x.run<{ person: { id: string; consents: ConsentView[] | null } }>(CONSENTS_Q, { id: personId });
  failOn(r, "Patient");
  if (!r.data?.person) throw notFound("Patient");
  if (withheldUnder(r.errors, ["person"]).has("consents")) return null;
  return r.data.person.consents ?? [];
}

async function readConsent(x: Exec, id: string) {
  // An unknown consent still goes through the person query (with an id no person has), so a role
  // the permission map refuses gets 403 whether or not the id exists: ids cannot be probed.
  const personId = (isUuid(id) ? await x.consentPerson(id) : null) ?? "00000000-0000-0000-0000-000000000000";
  let consents: ConsentView[] | null;
  try {
    consents = await consentsOf(x, personId);
  } catch (e) {
    // The person unreachable: the consent is as unknown as an id that does not exist.
    if (e instanceof FhirError && e.status === 404) throw notFound("Consent");
    throw e;
  }
  if (consents === null) throw new FhirError(403, "suppressed", "No active consent or lawful basis lets your agency see this person's consents", "CONSENT_REQUIRED");
  const c = consents.find((k) => k.id === id);
  if (!c) throw notFound("Consent");
  return { resource: toConsent(c), issues: [] };
}

async function readReferral(x: Exec, id: string, as: "Task" | "ServiceRequest") {
  const r = await x.run<{ referral: ReferralView }>(REFERRAL_Q, { id });
  failOn(r, as);
  if (!r.data?.referral) throw notFound(as);
  return { resource: as === "Task" ? toTask(r.data.referral) : toServiceRequest(r.data.referral), issues: [] };
}

/** Task statuses that stand for exactly one hub status (in-progress stands for two: search business-status). */
const HUB_STATUS_OF_TASK: Record<string, string> = Object.fromEntries(
  Object.entries(TASK_STATUS)
    .filter(([, task]) => Object.values(TASK_STATUS).filter((t) => t === task).length === 1)
    .map(([hub, task]) => [task as string, hub]),
);

function statusFilter(q: SearchParams): string | null {
  const status = q.get("status");
  const business = q.get("business-status");
  if (status !== undefined && business !== undefined) throw invalid("status and business-status: give one of them");
  if (business !== undefined) {
    const code = business.includes("|") ? business.slice(business.indexOf("|") + 1) : business;
    if (!Object.hasOwn(TASK_STATUS, code)) throw invalid(`business-status: one of ${Object.keys(TASK_STATUS).join(", ")}`);
    return code;
  }
  if (status === undefined) return null;
  if (!Object.hasOwn(HUB_STATUS_OF_TASK, status)) throw invalid(`status: one of ${Object.keys(HUB_STATUS_OF_TASK).join(", ")} (in-progress covers CONTACT_ATTEMPTED and ENGAGED: search business-status)`);
  return HUB_STATUS_OF_TASK[status];
}

async function searchReferrals(x: Exec, q: SearchParams, as: "Task" | "ServiceRequest", agencyParam: "owner" | "performer"): Promise<SearchResult> {
  const status = as === "Task" ? statusFilter(q) : null;
  const r = await x.run<{ referrals: Page<ReferralView> }>(INBOX_Q, { filter: status ? { status } : null, first: q.count ?? null, after: q.cursor ?? null });
  failOn(r, as);
  const page = r.data!.referrals;
  // The inbox holds the caller's agency's referrals only: another owner has nothing here for it.
  const wanted = q.get(agencyParam);
  if (wanted !== undefined && agencyCode(wanted) !== x.callerAgencyCode) return { resources: [], next: null, issues: [] };
  return {
    resources: page.edges.map((e) => (as === "Task" ? toTask(e.node) : toServiceRequest(e.node))),
    next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
    issues: [],
  };
}

async function readIncident(x: Exec, id: string) {
  const r = await x.run<{ incident: IncidentView }>(INCIDENT_Q, { id });
  failOn(r, "MedicationAdministration");
  if (!r.data?.incident) throw notFound("MedicationAdministration");
  const withheld = withheldUnder(r.errors, ["incident"]).has("location");
  return { resource: toMedicationAdministration(r.data.incident, withheld), issues: withheld ? [withheldIssue(`MedicationAdministration/${id}`, ["location"])] : [] };
}

/** FHIR date search values with a prefix (ge, gt, le, lt; eq is not supported for instants). */
function dateRange(values: string[]): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  for (const v of values) {
    const m = /^(ge|gt|le|lt)(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?)$/.exec(v);
    if (!m) throw invalid("date: use ge, gt, le or lt followed by a date or an instant with its zone, e.g. date=ge2026-11-01");
    const t = new Date(m[3] ? m[2] : `${m[2]}T00:00:00Z`);
    if (Number.isNaN(t.getTime())) throw invalid("date: not a real date");
    if (m[1] === "ge" || m[1] === "gt") out.from = t.toISOString();
    else out.to = new Date(t.getTime() + (m[1] === "le" && !m[3] ? 86_400_000 : m[1] === "le" ? 1 : 0)).toISOString();
  }
  return out;
}

export const HANDLERS: Record<string, ResourceHandler> = {
  Patient: {
    type: "Patient",
    read: readPatient,
    searchParams: { _id: { type: "token", documentation: "The person's id" } },
  },
  Consent: {
    type: "Consent",
    read: readConsent,
    searchParams: {
      _id: { type: "token", documentation: "The consent's id" },
      patient: { type: "reference", documentation: "Patient/<id>: the person's consent decisions, newest first (needs a basis to see the person)" },
    },
    async search(x, q) {
      const patient = q.get("patient");
      if (patient === undefined) throw invalid("patient: Consent search needs patient=Patient/<id> (or _id)");
      const personId = referenceId(patient, "Patient");
      let consents: ConsentView[] | null;
      try {
        consents = await consentsOf(x, personId);
      } catch (e) {
        if (e instanceof FhirError && e.status === 404) return { resources: [], next: null, issues: [] };
        throw e;
      }
      if (consents === null) return { resources: [], next: null, issues: [withheldIssue(`Patient/${personId}`, ["consents"])] };
      return { resources: consents.map(toConsent), next: null, issues: [] };
    },
  },
  ServiceRequest: {
    type: "ServiceRequest",
    read: (x, id) => readReferral(x, id, "ServiceRequest"),
    searchParams: {
      _id: { type: "token", documentation: "The referral's id" },
      performer: { type: "reference", documentation: "The receiving agency (your own: Organization/<code>); your inbox, soonest due first" },
    },
    search: (x, q) => searchReferrals(x, q, "ServiceRequest", "performer"),
  },
  Task: {
    type: "Task",
    read: (x, id) => readReferral(x, id, "Task"),
    searchParams: {
      _id: { type: "token", documentation: "The referral's id" },
      owner: { type: "reference", documentation: "The receiving agency (your own: Organization/<code>); your inbox, soonest due first" },
      status: { type: "token", documentation: "requested, accepted, rejected, completed or cancelled (in-progress: use business-status)" },
      "business-status": { type: "token", documentation: "The hub's referral status: OPEN, ACCEPTED, CONTACT_ATTEMPTED, ENGAGED, DECLINED, CLOSED, WITHDRAWN" },
    },
    search: (x, q) => searchReferrals(x, q, "Task", "owner"),
  },
  MedicationAdministration: {
    type: "MedicationAdministration",
    read: readIncident,
    searchParams: { _id: { type: "token", documentation: "The incident's id" } },
    async search(x, q) {
      const r = await x.run<{ incidents: Page<IncidentView> }>(INCIDENTS_Q, { first: q.count ?? null, after: q.cursor ?? null });
      failOn(r, "MedicationAdministration");
      const page = r.data!.incidents;
      const issues: OperationOutcomeIssue[] = [];
      const resources = page.edges.map((e, i) => {
        const withheld = withheldUnder(r.errors, ["incidents", "edges", i, "node"]).has("location");
        if (withheld) issues.push(withheldIssue(`MedicationAdministration/${e.node.id}`, ["location"]));
        return toMedicationAdministration(e.node, withheld);
      });
      return { resources, next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null, issues };
    },
  },
  AuditEvent: {
    type: "AuditEvent",
    searchParams: {
      entity: { type: "reference", documentation: "Patient/<id>: every audited action about that person" },
      date: { type: "date", documentation: "When recorded: ge, gt, le or lt, repeatable" },
    },
    async search(x, q) {
      const entity = q.get("entity");
      const range = dateRange(q.all("date"));
      const personId = entity === undefined ? undefined : referenceId(entity, "Patient");
      const filter = { ...(personId !== undefined ? { personId } : {}), ...range };
      const r = await x.run<{ auditEvents: Page<AuditView> }>(AUDIT_Q, { filter, first: q.count ?? null, after: q.cursor ?? null });
      failOn(r, "AuditEvent");
      const page = r.data!.auditEvents;
      return { resources: page.edges.map((e) => toAuditEvent(e.node)), next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null, issues: [] };
    },
  },
};

export function bundle(base: string, type: string, self: URLSearchParams, result: SearchResult, firstPage: boolean): Bundle {
  const link = [{ relation: "self", url: `${base}/${type}${self.size > 0 ? `?${self}` : ""}` }];
  if (result.next) {
    const next = new URLSearchParams(self);
    next.delete("_cursor");
    next.set("_cursor", result.next);
    link.push({ relation: "next", url: `${base}/${type}?${next}` });
  }
  const entry: BundleEntry[] = result.resources.map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode: "match" } }));
  if (result.issues.length > 0) entry.push({ resource: { resourceType: "OperationOutcome", issue: result.issues }, search: { mode: "outcome" } });
  return { resourceType: "Bundle", type: "searchset", ...(firstPage && !result.next ? { total: result.resources.length } : {}), link, entry };
}
