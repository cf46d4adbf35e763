import "reflect-metadata";
import { DateTimeResolver, JSONResolver, LocalDateResolver } from "./core/scalars.js";
import { printSchema, type GraphQLSchema } from "graphql";
import { applyMiddleware, type IMiddlewareFunction } from "graphql-middleware";
import { buildSchema, type PubSub } from "type-graphql";
import { createHubPubSub, type HubPubSub } from "./core/pubsub.js";
import { validateArgument } from "./core/validation.js";
import { AggregateResolver, KpisResolver } from "./modules/aggregates/aggregates.resolver.js";
import { WeeklyResolver } from "./modules/aggregates/weekly.resolver.js";
import { AlertResolver } from "./modules/aggregates/alert.resolver.js";
import { AgencyResolver } from "./modules/agencies/agency.resolver.js";
import { AuditResolver } from "./modules/audit/audit.resolver.js";
import { AccessGrantResolver, ConsentResolver, ExplainAccessResolver } from "./modules/consent/consent.resolver.js";
import { HandoverResolver } from "./modules/handovers/handover.resolver.js";
import { IncidentResolver } from "./modules/incidents/incident.resolver.js";
import { PersonTakeHomeNaloxoneResolver, PrisonResolver } from "./modules/prisons/prison.resolver.js";
import { PersonResolver } from "./modules/people/person.resolver.js";
import { ReferralResolver } from "./modules/referrals/referral.resolver.js";
import { ReviewResolver, TaskforceResolver } from "./modules/reviews/review.resolver.js";
import { RouteResolver } from "./modules/routes/route.resolver.js";
import { RetentionResolver } from "./modules/retention/retention.resolver.js";
import { SubjectAccessResolver } from "./modules/subject-access/subject-access.resolver.js";
import { FundingResolver } from "./modules/funding/funding.resolver.js";
import { KitResolver, StockCountResolver } from "./modules/kits/kit.resolver.js";
import { OfficerResolver } from "./modules/officers/officer.resolver.js";
import { ProgrammeResolver } from "./modules/programme/programme.resolver.js";
import { ServiceFiguresResolver } from "./modules/service-figures/service-figures.resolver.js";
import { allow } from "graphql-shield";
import type { IRules } from "graphql-shield";
import { permissions, ruleMap } from "./permissions/permissions.js";
import { applyDescriptions } from "./schema-descriptions.js";

export const resolvers = [
  AgencyResolver,
  RouteResolver,
  IncidentResolver,
  HandoverResolver,
  PersonResolver,
  ConsentResolver,
  AccessGrantResolver,
  ExplainAccessResolver,
  AuditResolver,
  ReferralResolver,
  ReviewResolver,
  TaskforceResolver,
  AggregateResolver,
  KpisResolver,
  WeeklyResolver,
  AlertResolver,
  PrisonResolver,
  PersonTakeHomeNaloxoneResolver,
  SubjectAccessResolver,
  RetentionResolver,
  KitResolver,
  StockCountResolver,
  OfficerResolver,
  FundingResolver,
  ProgrammeResolver,
  ServiceFiguresResolver,
] as const;

export { DateTimeResolver, JSONResolver, LocalDateResolver };

/** The schema as type-graphql builds it, before the permission layer. */
export async function buildBareSchema(pubsub: HubPubSub = createHubPubSub({ redisUrl: undefined }), options: { describe?: boolean } = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    pubSub: pubsub.engine as unknown as PubSub,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validateFn: (arg) => validateArgument(arg),
    emitSchemaFile: false,
  });
  // Descriptions the decorators lack (src/schema-descriptions.ts): every element is described.
  return options.describe === false ? schema : applyDescriptions(schema);
}

/**
 * The served schema: every field behind the one shield rule map. graphql-middleware wraps only the
 * `resolve` of a field that has both `resolve` and `subscribe`, which would let a denied role open
 * a subscription (its events would still be refused one by one). The same generated rules are
 * therefore applied to each Subscription field's `subscribe` too, so a denied subscription is
 * refused when it starts.
 */
export async function buildHubSchema(pubsub?: HubPubSub): Promise<GraphQLSchema> {
  const bare = await buildBareSchema(pubsub);
  const generated = permissions.generate(bare) as Record<string, Record<string, unknown>>;
  const guarded = applyMiddleware(bare, withoutAllowedFields(generated, ruleMap) as Parameters<typeof applyMiddleware>[1]);
  const subscriptionType = guarded.getSubscriptionType();
  for (const [name, field] of Object.entries(subscriptionType?.getFields() ?? {})) {
    const middleware = generated.Subscription?.[name];
    const subscribe = field.subscribe;
    if (typeof middleware !== "function" || !subscribe) throw new Error(`Subscription.${name} has no permission rule for subscribe`);
    field.subscribe = (parent, args, ctx, info) =>
      (middleware as Extract<IMiddlewareFunction, (...args: never[]) => unknown>)((p = parent, a = args, c = ctx, i = info) => subscribe(p, a, c, i), parent, args, ctx, info);
  }
  return guarded;
}

/**
 * The shield's generated middleware minus the fields whose rule is `allow`. With allowExternalErrors,
 * shield's middleware for `allow` only awaits `true` and calls the resolver (a thrown error is returned
 * as the field's error either way), so leaving those fields unwrapped changes no answer and no
 * permission; it spares an async wrapper on every scalar of every row (a page of 50 referrals has
 * thousands). Every other rule, and the deny fallback for anything unlisted, stays in place.
 */
export function withoutAllowedFields(generated: Record<string, Record<string, unknown>>, rules: IRules): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const map = rules as Record<string, unknown>;
  for (const [type, fields] of Object.entries(generated)) {
    const typeRule = map[type];
    if (typeRule === allow) continue;
    // A plain object is a field map; anything else (a rule instance) covers the whole type.
    const fieldRules = typeRule && Object.getPrototypeOf(typeRule) === Object.prototype ? (typeRule as Record<string, unknown>) : null;
    const kept: Record<string, unknown> = {};
    for (const [field, middleware] of Object.entries(fields)) {
      const rule = fieldRules ? (fieldRules[field] ?? fieldRules["*"]) : typeRule;
      if (rule !== allow) kept[field] = middleware;
    }
    if (Object.keys(kept).length > 0) out[type] = kept;
  }
  return out;
}

export const SCHEMA_HEADER =
  "# Naloxone Hub public API. Generated by `npm run schema` from the code: do not edit by hand.\n" +
  "# A test fails when this file and the built schema differ.\n\n";

export function renderSdl(schema: GraphQLSchema): string {
  return SCHEMA_HEADER + printSchema(schema) + "\n";
}
