import { rule } from "graphql-shield";
import { hasAnyRole } from "../core/auth/actor.js";
import type { Role } from "../core/auth/roles.js";
import type { Context } from "../core/context.js";
import { forbidden, unauthenticated } from "../core/errors.js";

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
