import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, type GraphQLSchema } from "graphql";
import { buildBareSchema } from "../../src/schema";
import { DESCRIPTIONS } from "../../src/schema-descriptions";

// Every type, field, argument and enum value of the schema has a description (a partner reading
// the SDL or an explorer should never meet a bare name), and the table that fills the decorators'
// gaps names only elements that exist and lack one of their own.

const BUILT_IN = new Set(["Query", "Mutation", "Subscription", "String", "Int", "Float", "Boolean", "ID"]);

function undescribed(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const t of Object.values(schema.getTypeMap())) {
    if (t.name.startsWith("__")) continue;
    if (!t.description && !BUILT_IN.has(t.name)) out.push(t.name);
    if (isObjectType(t) || isInterfaceType(t) || isInputObjectType(t)) {
      for (const f of Object.values(t.getFields())) {
        if (!f.description) out.push(`${t.name}.${f.name}`);
        for (const a of "args" in f ? f.args : []) if (!a.description) out.push(`${t.name}.${f.name}(${a.name})`);
      }
    }
    if (isEnumType(t)) for (const v of t.getValues()) if (!v.description) out.push(`${t.name}.${v.name}`);
  }
  return out;
}

describe("schema descriptions", () => {
  it("describes every type, field, argument and enum value", async () => {
    expect(undescribed(await buildBareSchema())).toEqual([]);
  });

  it("keeps the table to gaps the decorators leave: no stale key, none shadowed", async () => {
    const bare = await buildBareSchema(undefined, { describe: false });
    const gaps = new Set(undescribed(bare));
    const problems = Object.keys(DESCRIPTIONS).filter((k) => !gaps.has(k));
    expect(problems).toEqual([]);
    for (const d of Object.values(DESCRIPTIONS)) expect(d.length).toBeGreaterThan(2);
    // Scalars come described from graphql-scalars.
    for (const t of Object.values(bare.getTypeMap())) if (isScalarType(t) && !BUILT_IN.has(t.name)) expect(t.description).toBeTruthy();
  });
});
