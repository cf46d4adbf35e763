import { readFileSync } from "node:fs";
import path from "node:path";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";

// The README's programme-monitoring examples, run as written: they must keep working.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

function examples(heading: string): string[] {
  const readme = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  const start = readme.indexOf(heading);
  const ends = ["\n### ", "\n## "].map((h) => readme.indexOf(h, start + heading.length)).filter((i) => i > 0);
  const section = readme.slice(start, Math.min(...ends));
  const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  // One operation per top-level `mutation`/`query` keyword.
  return blocks.flatMap((b) => b.split(/\n(?=mutation|query)/).map((s) => s.trim())).filter((s) => /^(mutation|query)/.test(s));
}

describe("README programme examples", () => {
  it.each([
    ["### Force lead: roster, training and stock", "DUR", Role.FORCE_LEAD, 7],
    ["### Programme lead: national status and funding", "HUB", Role.PROGRAMME_LEAD, 6],
  ])("%s: every example answers without errors", async (heading, agency, role, n) => {
    const ops = examples(heading);
    expect(ops).toHaveLength(n);
    const token = await app.token(agency, role);
    for (const op of ops) {
      const r = await app.gql(op, {}, token);
      expect({ op: op.slice(0, 60), errors: r.errors }).toEqual({ op: op.slice(0, 60), errors: undefined });
    }
  });
});
