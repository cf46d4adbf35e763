import { allow, deny, shield } from "graphql-shield";
import type { IRules } from "graphql-shield";
import { Role } from "../core/auth/roles.js";
import { forbidden } from "../core/errors.js";
import { hasRole } from "./rules.js";

const admin = hasRole(Role.ADMIN);

/**
 * The one permission map for the whole schema. Anything not listed is denied (fallbackRule), and a
 * test walks the built schema to prove every field of every object type is listed here. Query,
 * Mutation and Subscription are listed field by field; a type that holds no personal data may be
 * covered by one type-wide rule, because it is reachable only through fields guarded above.
 */
export const ruleMap: IRules = {
  Query: {
    agencies: admin,
    routes: admin,
  },
  Mutation: {
    createAgency: admin,
    configureRoute: admin,
  },
  Agency: allow,
  Route: allow,
};

export const permissions = shield(ruleMap, {
  fallbackRule: deny,
  fallbackError: () => forbidden(),
  // Domain errors thrown by resolvers (BAD_USER_INPUT, NOT_FOUND, ...) must reach the client with
  // their own codes instead of shield's generic "Not Authorised!".
  allowExternalErrors: true,
  debug: false,
});
