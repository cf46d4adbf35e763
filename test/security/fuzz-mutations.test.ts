import { randomUUID } from "node:crypto";
import fc from "fast-check";
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  print,
  parseType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from "graphql";
import request from "supertest";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { ACTOR_FOR, auditChainIntact, fixtureFor, makeFixture, snapshot, VALID, type Fixture } from "./fixtures";
import { inputPaths, setAt } from "./schema-paths";
import { INJECTIONS } from "./injections";

/**
 * Every mutation of the built schema, fuzzed with fast-check: arbitrary values for every argument and
 * input field (right and wrong types, huge and unicode strings, nulls, nested junk). The hub must never
 * answer HTTP 500 or INTERNAL_SERVER_ERROR, and a refused request must leave every table's row count
 * and the audit log (apart from audited refusals) as they were. A mutation added to the schema is
 * fuzzed without touching this file.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

let app: TestApp;
let fx: Fixture;
const tokens = new Map<string, string>();
beforeAll(async () => {
  app = await createTestApp();
  fx = await makeFixture(app);
  for (const { agency, role } of Object.values(ACTOR_FOR)) tokens.set(`${agency}/${role}`, await app.token(agency, role, { sub: `fuzz-${role.toLowerCase()}`, collarNumber: "9999" }));
});
afterAll(() => app?.close());

const mutations = (): GraphQLField<unknown, unknown>[] => Object.values(app.hub.schema.getMutationType()!.getFields());

// ---- arbitraries driven by the GraphQL input types ----

const hugeString = fc.constantFrom("A".repeat(100_000), "é".repeat(50_000), "\u{1F9EA}".repeat(30_000), "x\u0000".repeat(20_000));
const text = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom(...INJECTIONS.map((i) => i.value)), weight: 3 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: fc.constantFrom("", " ", "TS-TEESSIDE", "CLE-STOCKTON", "DUR-EASINGTON", "NEAS", "1990-02-30", "1985-05-05", "key-0123456789"), weight: 3 },
);
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 4 }),
);
const isoDate = fc.date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString());
const anId = () =>
  fc.oneof(
    fc.constantFrom(fx.incidentId, fx.personId, fx.consentId, fx.referralId, fx.reviewId, fx.grantId, fx.durPersonId),
    fc.uuid(),
    fc.constantFrom("", "not-a-uuid", "00000000-0000-0000-0000-000000000000", `${randomUUID()}'--`),
  );

function scalar(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case "String":
      return text;
    case "ID":
      return anId();
    case "Int":
      return fc.oneof(fc.integer({ min: -3, max: 15 }), fc.integer(), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, 1.5, -0));
    case "Float":
      return fc.oneof(fc.double({ min: -200, max: 200, noNaN: true }), fc.double(), fc.constantFrom(1e308, -1e308, 5e-324));
    case "Boolean":
      return fc.boolean();
    case "DateTime":
      return fc.oneof({ arbitrary: isoDate, weight: 4 }, { arbitrary: fc.constantFrom("2026-13-45T99:00:00Z", "yesterday", "", "0000-00-00", "+275760-09-13T00:00:00.000Z", "2026-01-01"), weight: 1 }, { arbitrary: fc.integer(), weight: 1 });
    default:
      return junk;
  }
}

function valueOf(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return fc.oneof({ arbitrary: valueOf(type.ofType, depth), weight: 12 }, { arbitrary: junk, weight: 1 });
  const inner = (): fc.Arbitrary<unknown> => {
    if (isListType(type)) return fc.oneof({ arbitrary: fc.array(valueOf(type.ofType, depth + 1), { maxLength: depth > 2 ? 1 : 4 }), weight: 6 }, { arbitrary: valueOf(type.ofType, depth + 1), weight: 1 });
    if (isEnumType(type)) return fc.oneof({ arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)), weight: 6 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
    if (isScalarType(type)) return scalar(type.name);
    if (isInputObjectType(type)) {
      const fields = type.getFields();
      const shape = Object.fromEntries(Object.values(fields).map((f) => [f.name, valueOf(f.type, depth + 1)]));
      const record = fc.record(shape, { requiredKeys: [] });
      return fc.oneof(
        { arbitrary: record, weight: 8 },
        { arbitrary: fc.tuple(record, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), junk, { maxKeys: 2 })).map(([r, extra]) => ({ ...extra, ...r })), weight: 1 },
      );
    }
    return junk;
  };
  return fc.oneof({ arbitrary: inner(), weight: 10 }, { arbitrary: fc.constant(null), weight: 1 }, { arbitrary: junk, weight: 1 });
}

function documentFor(m: GraphQLField<unknown, unknown>): string {
  const defs = m.args.map((a: GraphQLArgument) => `$${a.name}: ${print(parseType(String(a.type)))}`).join(", ");
  const args = m.args.map((a) => `${a.name}: $${a.name}`).join(", ");
  // __typename only: no identifying field is read, so the only writes are the mutation's own.
  return `mutation Fuzz${defs ? `(${defs})` : ""} { ${m.name}${args ? `(${args})` : ""} { __typename } }`;
}

function actorsFor(name: string): string[] {
  const a = ACTOR_FOR[name];
  return a ? [`${a.agency}/${a.role}`] : [...tokens.keys()];
}

describe("fuzzing every mutation", () => {
  it("derives the mutations from the schema and has an actor for each", () => {
    const names = mutations().map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(16);
    expect(names.filter((n) => !ACTOR_FOR[n])).toEqual([]);
  });

  it(`never answers 500 or INTERNAL_SERVER_ERROR, and a refusal writes nothing (${RUNS} runs per mutation)`, async () => {
    const outcomes: Record<string, { accepted: number; refused: Record<string, number> }> = {};
    for (const m of mutations()) {
      fx = await fixtureFor(app, m.name, fx); // fresh records in the state this mutation starts from
      const doc = documentFor(m);
      const wild = fc.record(Object.fromEntries(m.args.map((a) => [a.name, valueOf(a.type)])), { requiredKeys: [] });
      const valid = VALID[m.name];
      // Half the runs bend one field of a valid call, so the value reaches the hub's own checks.
      const bent = valid
        ? fc
            .constantFrom(...inputPaths(m))
            .chain((p) => fc.tuple(fc.constant(p.path), fc.oneof(valueOf(p.type), fc.constant(undefined))))
            .map(([path, value]) => setAt(valid(fx), path, value))
        : wild;
      const vars = fc.oneof(wild, bent);
      const tally = (outcomes[m.name] = { accepted: 0, refused: {} as Record<string, number> });
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...actorsFor(m.name)), vars, async (actor, variables) => {
          const before = await snapshot(app);
          const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${tokens.get(actor)}`).send({ query: doc, variables });
          const codes: string[] = (res.body?.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code ?? "NONE");
          expect(res.status).not.toBe(500);
          expect(codes).not.toContain("INTERNAL_SERVER_ERROR");
          expect(res.text).not.toMatch(/stacktrace|node_modules|QueryFailedError|violates|relation "/);
          if (res.body?.data?.[m.name]) {
            tally.accepted++;
          } else {
            expect(codes.length).toBeGreaterThan(0);
            for (const c of codes) tally.refused[c] = (tally.refused[c] ?? 0) + 1;
            expect(await snapshot(app)).toEqual(before);
          }
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: 60_000 },
      );
    }
    if (process.env.FUZZ_REPORT) console.log(JSON.stringify(outcomes, null, 1));
    // Every mutation got past GraphQL coercion into the hub's own checks at least once (not only 400s).
    const stuckAtCoercion = Object.entries(outcomes).filter(([, o]) => o.accepted === 0 && Object.keys(o.refused).every((c) => c === "BAD_USER_INPUT")).map(([n]) => n);
    expect(stuckAtCoercion.length).toBeLessThan(mutations().length);
    expect(await auditChainIntact(app)).toBe(true);
  }, 240_000);

  it("an analyst, whom no mutation admits, is refused every one (FORBIDDEN) and writes nothing", async () => {
    const analyst = await app.token("PH-ENG", Role.ANALYST);
    for (const m of mutations()) {
      const before = await snapshot(app);
      const sample = fc.sample(fc.record(Object.fromEntries(m.args.map((a) => [a.name, valueOf(a.type)]))), { numRuns: 1, seed: 42 })[0];
      const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${analyst}`).send({ query: documentFor(m), variables: sample });
      expect(res.status).not.toBe(500);
      const codes: string[] = (res.body?.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);
      expect(codes.length).toBeGreaterThan(0);
      expect(codes.every((c) => c === "FORBIDDEN" || c === "BAD_USER_INPUT")).toBe(true);
      expect(await snapshot(app)).toEqual(before);
    }
  });
});
