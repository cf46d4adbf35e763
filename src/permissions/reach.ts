import type { Actor } from "../core/auth/actor.js";
import { AgencyKind, Role } from "../core/auth/roles.js";

// The one reach policy: "does this row exist for you?". Three questions, three files:
//   may you call it            → src/permissions/permissions.ts (the shield rule map)
//   does this row exist for you → this file
//   may you see who it is       → src/modules/consent/access.policy.ts (decideAccess)
//
// Each record kind has a pure check over the row's facts and the one SQL fragment every list
// query of that kind uses; test/integration/reach-table.test.ts puts both to the same table of
// viewers × rows, so they cannot drift apart. A row that does not reach the viewer is NOT_FOUND,
// exactly like an id that does not exist. The rule throughout: an agency reaches what it recorded
// itself and what was shared with it (a handover it took, a referral or review it holds, a consent
// naming it); nothing of a person's dealings with other agencies. Reaching a row is not seeing the
// person: identifying fields still need a basis (access.policy.ts).

/** Who is asking, as the reach policy sees them. */
export interface Viewer {
  agencyId: string;
  agencyCode: string;
  agencyKind: AgencyKind;
  areaCodes: readonly string[];
  /** An AUDITOR of the hub operator: sees what the audit questions need (consents, grants, explanations). */
  auditor: boolean;
}

export function viewerOf(actor: Pick<Actor, "agency" | "roles">): Viewer {
  return {
    agencyId: actor.agency.id,
    agencyCode: actor.agency.code,
    agencyKind: actor.agency.kind,
    areaCodes: actor.agency.areaCodes,
    auditor: actor.agency.kind === AgencyKind.HUB_OPERATOR && actor.roles.includes(Role.AUDITOR),
  };
}

/** A WHERE fragment with TypeORM named parameters (all prefixed `reach_`, so they never collide). */
export interface SqlFragment {
  sql: string;
  params: Record<string, unknown>;
}

/** One record kind: the pure check and the SQL fragment that must agree with it. */
export interface ReachRule<Facts> {
  /** Does this row exist for the viewer? */
  check(viewer: Viewer, row: Facts): boolean;
  /** The same question in SQL, over the row's table under `alias`. */
  sql(viewer: Viewer, alias: string): SqlFragment;
}

const p = (viewer: Viewer) => ({
  reach_agency: viewer.agencyId,
  reach_code: viewer.agencyCode,
  reach_kind: viewer.agencyKind,
  reach_areas: [...viewer.areaCodes],
  reach_auditor: viewer.auditor,
});

/** An incident and the agencies it was shared with. */
export interface IncidentReachFacts {
  /** The recording force. */
  agencyId: string;
  /** Ambulance services that took a handover of it. */
  handoverAgencyIds: readonly string[];
  /** Agencies a referral of it was sent to. */
  referralAgencyIds: readonly string[];
  /** Agencies holding a 72-hour review of it. */
  reviewAgencyIds: readonly string[];
}

/** The incidents an agency recorded, took a handover for, or holds a referral or review of. */
const incident: ReachRule<IncidentReachFacts> = {
  check: (v, i) => i.agencyId === v.agencyId || i.handoverAgencyIds.includes(v.agencyId) || i.referralAgencyIds.includes(v.agencyId) || i.reviewAgencyIds.includes(v.agencyId),
  sql: (v, a) => ({
    sql: `(${a}."agencyId" = :reach_agency
      OR EXISTS (SELECT 1 FROM handover reach_h WHERE reach_h."incidentId" = ${a}.id AND reach_h."agencyId" = :reach_agency)
      OR EXISTS (SELECT 1 FROM referral reach_r WHERE reach_r."incidentId" = ${a}.id AND reach_r."toAgencyId" = :reach_agency)
      OR EXISTS (SELECT 1 FROM review reach_v WHERE reach_v."incidentId" = ${a}.id AND reach_v."agencyId" = :reach_agency))`,
    params: p(v),
  }),
};

/** An incident an ambulance service may record a handover of: one in an area it serves. */
const incidentToHandOver: ReachRule<{ areaCode: string }> = {
  check: (v, i) => v.agencyKind === AgencyKind.AMBULANCE_SERVICE && v.areaCodes.includes(i.areaCode),
  sql: (v, a) => ({ sql: `(:reach_kind = 'AMBULANCE_SERVICE' AND ${a}."areaCode" = ANY(:reach_areas))`, params: p(v) }),
};

export interface HandoverReachFacts {
  /** The ambulance service that took it. */
  agencyId: string;
  /** The force that recorded the incident. */
  incidentAgencyId: string;
}

/** A handover: the ambulance service that took it and the force whose incident it was; nobody else. */
const handover: ReachRule<HandoverReachFacts> = {
  check: (v, h) => h.agencyId === v.agencyId || h.incidentAgencyId === v.agencyId,
  sql: (v, a) => ({
    sql: `(${a}."agencyId" = :reach_agency OR EXISTS (SELECT 1 FROM incident reach_i WHERE reach_i.id = ${a}."incidentId" AND reach_i."agencyId" = :reach_agency))`,
    params: p(v),
  }),
};

export interface ReferralReachFacts {
  toAgencyId: string;
  fromAgencyId: string;
}

/** Reading a referral: the agency it was sent to and the agency it came from. */
const referral: ReachRule<ReferralReachFacts> = {
  check: (v, r) => r.toAgencyId === v.agencyId || r.fromAgencyId === v.agencyId,
  sql: (v, a) => ({ sql: `(${a}."toAgencyId" = :reach_agency OR ${a}."fromAgencyId" = :reach_agency)`, params: p(v) }),
};

/** Acting on a referral (and the inbox, and referralReceived): the receiving agency only. */
const referralToAct: ReachRule<Pick<ReferralReachFacts, "toAgencyId">> = {
  check: (v, r) => r.toAgencyId === v.agencyId,
  sql: (v, a) => ({ sql: `(${a}."toAgencyId" = :reach_agency)`, params: p(v) }),
};

/** A 72-hour review: the team that holds it. */
const review: ReachRule<{ agencyId: string }> = {
  check: (v, r) => r.agencyId === v.agencyId,
  sql: (v, a) => ({ sql: `(${a}."agencyId" = :reach_agency)`, params: p(v) }),
};

export interface ConsentReachFacts {
  recordedByAgencyId: string;
  recipientAgencyCodes: readonly string[];
  recipientKinds: readonly string[];
  /** Areas of the person's incidents: a recipient named by kind must serve one of them. */
  personAreaCodes: readonly string[];
}

/**
 * A consent record: the agency that recorded it, the agencies it names (by code, or by kind where
 * they serve an area of the person's incidents), and auditors. A person's consents naming others
 * are their dealings with those others, not the viewer's.
 */
const consent: ReachRule<ConsentReachFacts> = {
  check: (v, c) =>
    v.auditor ||
    c.recordedByAgencyId === v.agencyId ||
    c.recipientAgencyCodes.includes(v.agencyCode) ||
    (c.recipientKinds.includes(v.agencyKind) && v.areaCodes.some((area) => c.personAreaCodes.includes(area))),
  sql: (v, a) => ({
    sql: `(:reach_auditor
      OR ${a}."recordedByAgencyId" = :reach_agency
      OR :reach_code = ANY(${a}."recipientAgencyCodes")
      OR (:reach_kind = ANY(${a}."recipientKinds"::text[])
          AND EXISTS (SELECT 1 FROM incident reach_ci WHERE reach_ci."personId" = ${a}."personId" AND reach_ci."areaCode" = ANY(:reach_areas))))`,
    params: p(v),
  }),
};

/** A break-glass grant: the agency that holds it, and auditors (who review them). */
const grant: ReachRule<{ agencyId: string }> = {
  check: (v, g) => v.auditor || g.agencyId === v.agencyId,
  sql: (v, a) => ({ sql: `(:reach_auditor OR ${a}."agencyId" = :reach_agency)`, params: p(v) }),
};

/** A prison release record: the prison that made it; everyone else sees aggregates only. */
const prisonRelease: ReachRule<{ agencyId: string }> = {
  check: (v, r) => r.agencyId === v.agencyId,
  sql: (v, a) => ({ sql: `(${a}."agencyId" = :reach_agency)`, params: p(v) }),
};

/** A spike alert: agencies serving its area; the hub operator sees all. */
const alert: ReachRule<{ areaCode: string }> = {
  check: (v, al) => v.agencyKind === AgencyKind.HUB_OPERATOR || v.areaCodes.includes(al.areaCode),
  sql: (v, a) => ({ sql: `(:reach_kind = 'HUB_OPERATOR' OR ${a}."areaCode" = ANY(:reach_areas))`, params: p(v) }),
};

/** Every record kind's rule. Services, loaders and shield rules call these; nothing else scopes rows. */
export const reach = {
  incident,
  incidentToHandOver,
  handover,
  referral,
  referralToAct,
  review,
  consent,
  grant,
  prisonRelease,
  alert,
} as const;

export type ReachKind = keyof typeof reach;

/** Areas whose alerts reach the viewer (null: all), for subscription filters that match on area. */
export function alertAreas(viewer: Pick<Viewer, "agencyKind" | "areaCodes">): readonly string[] | null {
  return viewer.agencyKind === AgencyKind.HUB_OPERATOR ? null : viewer.areaCodes;
}

/** An officer's collar number: the force that recorded the incident, and ambulance services. */
export function seesOfficerDetails(viewer: Viewer, incidentRow: { agencyId: string }): boolean {
  return incidentRow.agencyId === viewer.agencyId || viewer.agencyKind === AgencyKind.AMBULANCE_SERVICE;
}

/** What the viewer itself shared about a person: the basis of explainAccess entries about others. */
export interface SharedBy {
  /** Consents the viewer's agency recorded. */
  consentIds: ReadonlySet<string>;
  /** Ambulance services that took a handover of an incident the viewer's agency recorded. */
  directCareAgencyIds: ReadonlySet<string>;
}

export interface ExplanationFacts {
  agencyId: string;
  basis: string;
  reference: string | null;
}

/**
 * explainAccess, entry by entry. An AUDITOR sees every entry. Any other agency sees its own basis,
 * and the agencies it has itself shared the person with: those holding a consent it recorded, and
 * the ambulance services that took a handover of its own incidents. Another force's recording,
 * another agency's consent or grant, and direct care on someone else's incident are the person's
 * dealings with others, and stay out.
 */
export function seesExplanation(viewer: Viewer, entry: ExplanationFacts, shared: SharedBy): boolean {
  if (viewer.auditor) return true;
  if (entry.agencyId === viewer.agencyId) return true;
  if (entry.basis === "CONSENT") return entry.reference !== null && shared.consentIds.has(entry.reference);
  if (entry.basis === "DIRECT_CARE") return shared.directCareAgencyIds.has(entry.agencyId);
  return false;
}

/** Whether a subscription event about a row reaches the subscriber (null: not authenticated). */
export function eventReaches<F>(rule: ReachRule<F>, actor: Pick<Actor, "agency" | "roles"> | null | undefined, row: F): boolean {
  return !!actor && rule.check(viewerOf(actor), row);
}

/** Adds a record kind's fragment to a TypeORM query builder. */
export function scoped<Q extends { andWhere(where: string, parameters?: Record<string, unknown>): Q }>(qb: Q, rule: ReachRule<never>, viewer: Viewer, alias: string): Q {
  const f = rule.sql(viewer, alias);
  return qb.andWhere(f.sql, f.params);
}
