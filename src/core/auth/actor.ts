import type { AgencyKind, Role } from "./roles.js";

/** The agency facts every decision needs; loaded once per request. */
export interface ActorAgency {
  id: string;
  code: string;
  kind: AgencyKind;
  areaCodes: string[];
}

/** Who is calling: verified token claims plus their agency as the database knows it. */
export interface Actor {
  sub: string;
  agency: ActorAgency;
  roles: Role[];
  collarNumber: string | null;
  requestId: string | null;
  /** When the bearer token stops being valid (a subscription is closed then). */
  tokenExpiresAt?: Date;
}

export const hasAnyRole = (actor: Actor | null, roles: readonly Role[]): boolean =>
  !!actor && actor.roles.some((r) => roles.includes(r));
