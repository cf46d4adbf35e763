import { rule } from "graphql-shield";
import { hasAnyRole } from "../core/auth/actor.js";
import type { Role } from "../core/auth/roles.js";
import type { Context } from "../core/context.js";
import { consentRequired, forbidden, unauthenticated } from "../core/errors.js";
import type { AccessDecision } from "../modules/consent/access.policy.js";
import { accessDecision } from "../modules/consent/access.service.js";
import { reach, seesOfficerDetails, viewerOf } from "./reach.js";

// Each rule checks one thing and fails with a coded error. Results are cached per request
// ("contextual"): they depend only on who is calling.

export const isAuthenticated = rule({ cache: "contextual" })((_p, _a, ctx: Context) =>
  ctx.actor ? true : unauthenticated(),
);

/** Allowed when the caller holds any of the roles. */
export function hasRole(...roles: Role[]) {
  return rule(`hasRole:${[...roles].sort().join(",")}`, { cache: "contextual" })((_p, _a, ctx: Context) => {
    if (!ctx.actor) return unauthenticated();
    return hasAnyRole(ctx.actor, roles) ? true : forbidden();
  });
}

/**
 * Guards one identifying field. The consent policy decides; a permitted read is noted for the
 * audit, a refusal resolves the field to null with CONSENT_REQUIRED at its path (and is audited too).
 */
export function identifying(
  field: string,
  personIdOf: (parent: any) => string | null | undefined,
  decide: (ctx: Context, personId: string) => Promise<AccessDecision> = accessDecision,
) {
  return rule(`identifying:${field}`, { cache: "no_cache" })(async (parent, _a, ctx: Context) => {
    if (!ctx.actor) return unauthenticated();
    const personId = personIdOf(parent);
    if (!personId) return true;
    let decision: AccessDecision;
    try {
      decision = await decide(ctx, personId);
    } catch (e) {
      // shield would turn a thrown error into its FORBIDDEN fallback: a database outage must read
      // as INTERNAL_SERVER_ERROR (retry later), never as a refusal. Returned, it goes through
      // formatError, which logs it and hides its message.
      return e instanceof Error ? e : new Error("access decision failed");
    }
    if (decision.permit) {
      ctx.readLog.note(personId, field, true, decision.basis, decision.purpose);
      return true;
    }
    ctx.readLog.note(personId, field, false, decision.reason, null);
    return consentRequired(`${field}: no active consent or lawful basis lets your agency see this person's identifying data`);
  });
}

/** The police force that recorded an incident, or an ambulance service (direct care partner). */
export const isIncidentResponder = rule("isIncidentResponder", { cache: "strict" })((parent: { agencyId: string }, _a, ctx: Context) => {
  if (!ctx.actor) return unauthenticated();
  return seesOfficerDetails(viewerOf(ctx.actor), parent)
    ? true
    : forbidden("officerCollarNumber: officers' details stay with police and ambulance services");
});

/**
 * Allowed only on a record made by the caller's own agency. Prison THN records use it: whether
 * someone left prison with naloxone is for their prison alone; everyone else sees aggregates.
 */
export const ownAgencyRecord = rule("ownAgencyRecord", { cache: "strict" })((parent: { agencyId?: string } | undefined, _a, ctx: Context) => {
  if (!ctx.actor) return unauthenticated();
  return parent && reach.prisonRelease.check(viewerOf(ctx.actor), { agencyId: parent.agencyId ?? "" }) ? true : forbidden("Only the recording agency sees this record");
});
