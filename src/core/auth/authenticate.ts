import type { DataSource } from "typeorm";
import type { Config } from "../config.js";
import { unauthenticated } from "../errors.js";
import type { Actor, ActorAgency } from "./actor.js";
import { roleFitsKind, type AgencyKind } from "./roles.js";
import { TokenRejected, verifyToken } from "./tokens.js";

/**
 * Turns an Authorization header into an Actor. No header: null (anonymous; the permission map
 * decides). A header that fails any check: UNAUTHENTICATED, with the check named but no detail.
 */
export async function authenticate(
  config: Config,
  dataSource: DataSource,
  authorization: string | undefined,
  requestId: string | null,
): Promise<Actor | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+([A-Za-z0-9_\-.]+)$/.exec(authorization.trim());
  if (!match) throw unauthenticated("Authorization must be a bearer token");
  let claims;
  try {
    claims = await verifyToken(config, match[1]);
  } catch (e) {
    if (e instanceof TokenRejected) throw unauthenticated(`Bearer ${e.message}`);
    throw e;
  }
  const rows: Array<{ id: string; code: string; kind: AgencyKind; areaCodes: string[]; active: boolean }> =
    await dataSource.query(`SELECT id, code, kind, "areaCodes", active FROM agency WHERE code = $1`, [claims.agency]);
  const agency = rows[0];
  if (!agency || !agency.active) throw unauthenticated("Bearer token's agency is unknown or inactive");
  const misfit = claims.roles.find((r) => !roleFitsKind(r, agency.kind));
  if (misfit) throw unauthenticated(`Role ${misfit} is not allowed for an agency of kind ${agency.kind}`);
  const actorAgency: ActorAgency = { id: agency.id, code: agency.code, kind: agency.kind, areaCodes: agency.areaCodes };
  return {
    sub: claims.sub,
    agency: actorAgency,
    roles: [...new Set(claims.roles)],
    collarNumber: claims.collarNumber ?? null,
    requestId,
    tokenExpiresAt: claims.expiresAt,
  };
}
