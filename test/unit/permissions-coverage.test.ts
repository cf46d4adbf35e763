import "reflect-metadata";
import { isObjectType, type GraphQLSchema } from "graphql";
import { allow } from "graphql-shield";
import { permissions, ruleMap } from "../../src/permissions/permissions";
import { identifying } from "../../src/permissions/rules";
import { buildBareSchema, withoutAllowedFields } from "../../src/schema";

const ROOTS = new Set(["Query", "Mutation", "Subscription"]);
// Types that carry personal data must be guarded field by field, never by a type-wide rule.
const FIELD_BY_FIELD = new Set([...ROOTS, "Person", "Incident", "Handover", "Referral", "Review", "Consent", "PrisonRelease"]);

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildBareSchema();
});

describe("the permission map covers the whole schema", () => {
  it("has an explicit rule for every field of every object type", () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      const entry = (ruleMap as Record<string, unknown>)[type.name];
      const typeWide = entry !== undefined && (typeof entry !== "object" || entry === null || "resolve" in (entry as object) || "rules" in (entry as object));
      if (typeWide && FIELD_BY_FIELD.has(type.name)) {
        missing.push(`${type.name} (must be listed field by field)`);
        continue;
      }
      for (const field of Object.keys(type.getFields())) {
        const fieldRule = !typeWide && entry ? (entry as Record<string, unknown>)[field] : undefined;
        if (!typeWide && fieldRule === undefined) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("lists no type or field that the schema does not have", () => {
    const stale: string[] = [];
    for (const [typeName, entry] of Object.entries(ruleMap as Record<string, unknown>)) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) {
        stale.push(typeName);
        continue;
      }
      if (entry && typeof entry === "object" && !("resolve" in entry) && !("rules" in entry)) {
        for (const field of Object.keys(entry)) if (!type.getFields()[field]) stale.push(`${typeName}.${field}`);
      }
    }
    expect(stale).toEqual([]);
  });
});

describe("the served schema leaves only allow-rule fields unwrapped", () => {
  it("keeps the shield on every field whose rule is not allow, and on nothing else", () => {
    const generated = permissions.generate(schema) as Record<string, Record<string, unknown>>;
    const kept = withoutAllowedFields(generated, ruleMap);
    const problems: string[] = [];
    for (const [type, fields] of Object.entries(generated)) {
      const entry = (ruleMap as Record<string, unknown>)[type];
      const fieldMap = entry && Object.getPrototypeOf(entry) === Object.prototype ? (entry as Record<string, unknown>) : null;
      for (const field of Object.keys(fields)) {
        const rule = fieldMap ? fieldMap[field] : entry;
        const wrapped = kept[type]?.[field] !== undefined;
        if (rule === allow && wrapped) problems.push(`${type}.${field} (allow) still wrapped`);
        if (rule !== allow && !wrapped) problems.push(`${type}.${field} lost its rule`);
      }
    }
    expect(problems).toEqual([]);
    // Spot checks: identifying fields, the inbox and recording stay guarded.
    expect(kept.Person?.givenName).toBeDefined();
    expect(kept.Query?.referrals).toBeDefined();
    expect(kept.Mutation?.recordNaloxoneAdministration).toBeDefined();
    expect(kept.HeatCell).toBeUndefined();
  });
});

describe("a failing access decision", () => {
  it("is an internal error, not a refusal", async () => {
    const rule = identifying("givenName", (p: { id: string }) => p.id, async () => {
      throw new Error("connection terminated");
    });
    const ctx = { _shield: { cache: {} }, actor: { sub: "u", agency: { id: "a", code: "A", kind: "TREATMENT_SERVICE", areaCodes: [] }, roles: [], collarNumber: null, requestId: null } };
    const result = await rule.resolve({ id: "p1" }, {}, ctx as never, { fieldName: "givenName", parentType: { name: "Person" } } as never, {
      allowExternalErrors: true,
      debug: false,
      hashFunction: JSON.stringify,
    } as never);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error & { extensions?: { code?: string } }).extensions?.code).toBeUndefined();
  });
});
