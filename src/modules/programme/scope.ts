import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/auth/actor.js";
import { AgencyKind, Role } from "../../core/auth/roles.js";
import { badInput, forbidden } from "../../core/errors.js";

export interface ForceRef {
  id: string;
  code: string;
  areaCodes: string[];
}

/**
 * Which force's programme records a caller reaches: a force lead its own force only (another force's
 * code is FORBIDDEN); the programme lead at the hub any force it names. Nobody else. (The shield map
 * has already checked the role; this answers "which force", the reach question, in one place.)
 */
export async function forceInScope(m: EntityManager, actor: Actor, forceCode: string | null | undefined, field = "forceCode"): Promise<ForceRef> {
  if (actor.agency.kind === AgencyKind.POLICE_FORCE && actor.roles.includes(Role.FORCE_LEAD)) {
    if (forceCode && forceCode !== actor.agency.code) throw forbidden(`${field}: a force lead sees only its own force`);
    return { id: actor.agency.id, code: actor.agency.code, areaCodes: actor.agency.areaCodes };
  }
  if (actor.agency.kind === AgencyKind.HUB_OPERATOR && actor.roles.includes(Role.PROGRAMME_LEAD)) {
    if (!forceCode) throw badInput([{ field, rule: "is required: name the force" }]);
    return policeForce(m, forceCode, field);
  }
  throw forbidden();
}

/** A police force by code, or BAD_USER_INPUT naming the field. */
export async function policeForce(m: EntityManager, code: string, field = "forceCode"): Promise<ForceRef> {
  const [row] = await m.query(`SELECT id, code, "areaCodes" FROM agency WHERE code = $1 AND kind = 'POLICE_FORCE'`, [code]);
  if (!row) throw badInput([{ field, rule: "must be the code of a police force" }]);
  return row as ForceRef;
}

/** The caller's own force, for writes only a force lead makes. */
export function ownForce(actor: Actor): ForceRef {
  if (actor.agency.kind !== AgencyKind.POLICE_FORCE) throw forbidden("Only a police force records this");
  return { id: actor.agency.id, code: actor.agency.code, areaCodes: actor.agency.areaCodes };
}
