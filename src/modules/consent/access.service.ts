import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import type { AgencyKind } from "../../core/auth/roles.js";
import type { Context } from "../../core/context.js";
import { seesExplanation, viewerOf, type SharedBy } from "../../permissions/reach.js";
import { Purpose, purposesOf } from "./purpose.js";
import {
  decideAccess, decideThnAccess, hasStanding, NO_FACTS, type AccessActor, type AccessBasis, type AccessDecision, type ConsentFact, type GrantFact, type PersonAccessFacts,
} from "./access.policy.js";

/** Loads the access facts of many people in three queries. */
/** Anything that runs SQL: a DataSource, or a transaction's EntityManager (to see its own writes). */
export type Queryable = Pick<DataSource, "query">;

export async function loadAccessFacts(ds: Queryable, personIds: readonly string[]): Promise<Map<string, PersonAccessFacts>> {
  const ids = [...new Set(personIds)];
  // One client cannot run queries concurrently (pg deprecates it): inside a transaction they run in turn.
  const linksQ = () =>
    ds.query(
      // Handovers are looked up per incident through their index (a correlated sub-select): a plain
      // join lets the planner hash the whole handover table, which grows with every incident.
      `SELECT i."personId", array_agg(DISTINCT i."agencyId") AS rec, array_agg(DISTINCT i."areaCode") AS areas,
              array_agg(DISTINCT ho.agency) FILTER (WHERE ho.agency IS NOT NULL) AS ho
         FROM incident i
         LEFT JOIN LATERAL unnest(ARRAY(SELECT h."agencyId" FROM handover h WHERE h."incidentId" = i.id)) AS ho(agency) ON true
        WHERE i."personId" = ANY($1::uuid[]) GROUP BY i."personId"`,
      [ids],
    ) as Promise<Array<{ personId: string; rec: string[]; areas: string[]; ho: string[] | null }>>;
  const consentsQ = () =>
    ds.query(
      `SELECT id, "personId", decision, purposes::text[] AS purposes, "recipientKinds"::text[] AS "recipientKinds",
              "recipientAgencyCodes", "obtainedAt", "expiresAt", "withdrawnAt", "recordedByAgencyId"
         FROM consent WHERE "personId" = ANY($1::uuid[])`,
      [ids],
    ) as Promise<Array<ConsentFact & { personId: string }>>;
  const grantsQ = () =>
    ds.query(`SELECT id, "personId", "agencyId", "grantedAt", "expiresAt", basis::text AS basis FROM access_grant WHERE "personId" = ANY($1::uuid[])`, [ids]) as Promise<
      Array<GrantFact & { personId: string }>
    >;
  const inTransaction = !!(ds as { queryRunner?: unknown }).queryRunner;
  const [links, consents, grants] = inTransaction ? [await linksQ(), await consentsQ(), await grantsQ()] : await Promise.all([linksQ(), consentsQ(), grantsQ()]);
  const facts = new Map<string, PersonAccessFacts>();
  const get = (id: string) => {
    let f = facts.get(id);
    if (!f) {
      f = { recordingAgencyIds: [], handoverAgencyIds: [], areaCodes: [], consents: [], grants: [] };
      facts.set(id, f);
    }
    return f as { -readonly [K in keyof PersonAccessFacts]: PersonAccessFacts[K] };
  };
  for (const l of links) Object.assign(get(l.personId), { recordingAgencyIds: l.rec, handoverAgencyIds: l.ho ?? [], areaCodes: l.areas });
  for (const c of consents) get(c.personId).consents = [...get(c.personId).consents, c];
  for (const g of grants) get(g.personId).grants = [...get(g.personId).grants, g];
  return facts;
}

/** The access facts of one person (outside a request's loaders: services deciding on their own). */
export async function loadPersonFacts(db: Queryable, personId: string): Promise<PersonAccessFacts> {
  return (await loadAccessFacts(db, [personId])).get(personId) ?? NO_FACTS;
}

/** Per-request batch of access facts: one round of queries for all people in a response. */
export const personAccessFacts = (ctx: Context) =>
  ctx.loaders.get("personAccessFacts", () => new DataLoader<string, PersonAccessFacts>(async (ids) => {
    const facts = await loadAccessFacts(ctx.dataSource, ids);
    return ids.map((id) => facts.get(id) ?? NO_FACTS);
  }));

export function accessActor(actor: Actor): AccessActor {
  return {
    agencyId: actor.agency.id,
    agencyCode: actor.agency.code,
    agencyKind: actor.agency.kind,
    agencyAreaCodes: actor.agency.areaCodes,
    purposes: purposesOf(actor.roles),
  };
}

export async function accessDecision(ctx: Context, personId: string): Promise<AccessDecision> {
  if (!ctx.actor) return { permit: false, reason: "NO_BASIS" };
  return decideAccess(accessActor(ctx.actor), await personAccessFacts(ctx).load(personId), ctx.clock.now());
}

/** The same, for prison take-home naloxone status (sensitive by default: see decideThnAccess). */
export async function thnAccessDecision(ctx: Context, personId: string): Promise<AccessDecision> {
  if (!ctx.actor) return { permit: false, reason: "NO_BASIS" };
  return decideThnAccess(accessActor(ctx.actor), await personAccessFacts(ctx).load(personId), ctx.clock.now());
}

/** Person standing (reach.ts's "does this person exist for you?"): a basis, or a consent or grant naming the agency. */
export async function standing(ctx: Context, personId: string): Promise<boolean> {
  if (!ctx.actor) return false;
  return hasStanding(accessActor(ctx.actor), await personAccessFacts(ctx).load(personId), ctx.clock.now());
}

export interface Explanation {
  agencyId: string;
  basis: AccessBasis;
  purpose: Purpose | null;
  reference: string | null;
  until: Date | null;
}

/**
 * Which agencies can see the person now, and why: every agency the facts mention is put to the
 * same decision function, once per purpose, so the explanation cannot drift from enforcement.
 */
export async function explain(
  ds: DataSource,
  personId: string,
  now: Date,
  facts?: PersonAccessFacts,
): Promise<Explanation[]> {
  facts ??= await loadPersonFacts(ds, personId);
  const named = facts.consents.flatMap((c) => c.recipientAgencyCodes);
  const kinds = [...new Set(facts.consents.flatMap((c) => c.recipientKinds))];
  const candidates: Array<{ id: string; code: string; kind: AgencyKind; areaCodes: string[] }> = await ds.query(
    `SELECT id, code, kind, "areaCodes" FROM agency
      WHERE active AND (id = ANY($1::uuid[]) OR code = ANY($2::text[])
            OR (kind::text = ANY($3::text[]) AND "areaCodes" && $4::text[]))`,
    [[...facts.recordingAgencyIds, ...facts.handoverAgencyIds, ...facts.grants.map((g) => g.agencyId)], named, kinds, facts.areaCodes],
  );
  const out: Explanation[] = [];
  for (const a of candidates) {
    const seen = new Set<string>();
    for (const purpose of [null, ...Object.values(Purpose)]) {
      const d = decideAccess({ agencyId: a.id, agencyCode: a.code, agencyKind: a.kind, agencyAreaCodes: a.areaCodes, purposes: purpose ? [purpose] : [] }, facts, now);
      if (!d.permit) continue;
      const key = `${d.basis}|${d.purpose}|${d.reference}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ agencyId: a.id, basis: d.basis, purpose: d.purpose, reference: d.reference, until: d.until });
    }
  }
  return out;
}

/**
 * explainAccess for one caller. An AUDITOR sees every agency that can see the person; any other
 * agency with standing sees its own basis and the agencies it has itself shared the person with
 * (reach.ts, seesExplanation); without standing the person is NOT_FOUND.
 */
export async function explainFor(ctx: Context, actor: Actor, personId: string): Promise<Explanation[] | null> {
  const viewer = viewerOf(actor);
  const facts = await personAccessFacts(ctx).load(personId);
  if (!viewer.auditor && !hasStanding(accessActor(actor), facts, ctx.clock.now())) return null;
  const rows = await explain(ctx.dataSource, personId, ctx.clock.now(), facts);
  if (viewer.auditor) return rows;
  const [consents, careRows] = await Promise.all([
    ctx.dataSource.query(`SELECT id FROM consent WHERE "personId" = $1 AND "recordedByAgencyId" = $2`, [personId, actor.agency.id]) as Promise<Array<{ id: string }>>,
    ctx.dataSource.query(
      `SELECT DISTINCT h."agencyId" FROM handover h JOIN incident i ON i.id = h."incidentId" WHERE i."personId" = $1 AND i."agencyId" = $2`,
      [personId, actor.agency.id],
    ) as Promise<Array<{ agencyId: string }>>,
  ]);
  const shared: SharedBy = { consentIds: new Set(consents.map((c) => c.id)), directCareAgencyIds: new Set(careRows.map((r) => r.agencyId)) };
  return rows.filter((r) => seesExplanation(viewer, r, shared));
}
