import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, type OperationDefinitionNode } from "graphql";
import type { Role } from "../../src/core/auth/roles";
import { seedDemo } from "../../src/demo/seed";
import { createTestApp, type TestApp } from "../helpers/app";
import { readmeExamples, type ReadmeExample } from "../helpers/readme";

// Every GraphQL example in the README runs, as written and in the README's order, against the demo
// data, with the token the README shows before it; each must answer data and no error. Ids come
// from the examples before, as a reader would copy them: `$referralId` is the first `referralId`, or
// `id` under a field whose name contains "referral", in the latest answer that has one.

const README = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
const examples = readmeExamples(README).filter((e) => e.kind !== "subscription");

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ demo: false });
  await seedDemo({ config: app.config, dataSource: app.ds, clock: app.clock, pubsub: app.pubsub });
}, 300_000);
afterAll(() => app?.close());

/** The first `<prefix>Id`, or `id` under a key containing `prefix`, in an answer (depth first). */
function findId(value: unknown, prefix: string, inside = false): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const id = findId(v, prefix, inside);
      if (id) return id;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (inside && typeof o.id === "string") return o.id;
    for (const [k, v] of Object.entries(o)) {
      if (k.toLowerCase() === `${prefix}id` && typeof v === "string") return v;
      const id = findId(v, prefix, inside || k.toLowerCase().includes(prefix));
      if (id) return id;
    }
  }
  return undefined;
}

/** Period variables the README asks for: the last three whole months up to the current one's end. */
function periodVariables(now: Date): Record<string, string> {
  const month = (k: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
  return { from: month(-3).toISOString(), to: month(1).toISOString(), fromDate: month(-3).toISOString().slice(0, 10), toDate: month(1).toISOString().slice(0, 10) };
}

describe("README examples", () => {
  it("finds examples for every kind of user", () => {
    const roles = new Set(examples.map((e) => e.token?.role));
    for (const r of ["ADMIN", "OFFICER", "PARAMEDIC", "TREATMENT_WORKER", "HARM_REDUCTION_LEAD", "AUDITOR", "ANALYST", "PRISON_NALOXONE_LEAD", "NFO_COORDINATOR", "MASH_REVIEWER", "FORCE_LEAD"]) {
      expect(roles).toContain(r);
    }
    expect(examples.length).toBeGreaterThan(40);
  });

  it("every example runs against the demo data and answers data without errors", async () => {
    const answers: unknown[] = [];
    const failures: string[] = [];
    for (const ex of examples) {
      if (!ex.token) {
        failures.push(`line ${ex.line}: no token shown before the example`);
        continue;
      }
      const op = parse(ex.source).definitions[0] as OperationDefinitionNode;
      const variables: Record<string, unknown> = { ...periodVariables(new Date()), ...(ex.variables ?? {}) };
      for (const v of op.variableDefinitions ?? []) {
        const name = v.variable.name.value;
        if (name in variables) continue;
        const m = /^(.*)Id$/.exec(name);
        const id = m ? [...answers].reverse().map((a) => findId(a, m[1].toLowerCase())).find(Boolean) : undefined;
        if (!id) failures.push(`line ${ex.line}: no earlier answer gives $${name}`);
        variables[name] = id;
      }
      const t = ex.token;
      const token = await app.token(t.agency, t.role as Role, { sub: t.sub, collarNumber: t.collar });
      const r = await app.gql(ex.source, variables, token);
      if (r.errors || !r.data) failures.push(`line ${ex.line} (${t.agency} ${t.role}): ${JSON.stringify(r.errors?.map((e) => [e.path?.join("."), e.extensions.code, e.message]))}`);
      else if (!hasData(r.data)) failures.push(`line ${ex.line} (${t.agency} ${t.role}): answered no data: ${JSON.stringify(r.data).slice(0, 200)}`);
      answers.push(r.data);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

/** Some list or figure in the answer is not empty: a query that matches nothing in the demo fails. */
function hasData(data: unknown): boolean {
  const values = Object.values(data as Record<string, unknown>);
  return values.every((v) => v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === "object" && "edges" in (v as object) && (v as { edges: unknown[] }).edges.length === 0));
}

export type { ReadmeExample };
