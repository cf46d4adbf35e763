import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";

// The examples: a date of birth or a name typed into a date field came back in the error.
let app: TestApp;
let officer: string;
let analyst: string;
beforeAll(async () => {
  app = await createTestApp();
  officer = await app.token("DUR", Role.OFFICER);
  analyst = await app.token("PH-ENG", Role.ANALYST);
});
afterAll(() => app.close());

const expectClean = (r: { errors?: Array<{ message: string; extensions: Record<string, unknown> }> }, ...values: string[]) => {
  expect(r.errors?.length).toBeGreaterThan(0);
  for (const e of r.errors!) {
    expect(e.extensions.code).toBe("BAD_USER_INPUT");
    for (const v of values) {
      expect(e.message).not.toContain(v);
      expect(JSON.stringify(e.extensions)).not.toContain(v);
    }
  }
};

describe("no submitted value in a scalar's error", () => {
  it("DateTime, in variables and in the document", async () => {
    const inVariables = await app.gql(`query($f: IncidentFilter) { incidents(filter: $f) { edges { node { id } } } }`, { f: { from: "1983-04-12" } }, officer);
    expectClean(inVariables, "1983-04-12");
    expect(inVariables.errors![0].message).toMatch(/"f\.from"/);
    expect(inVariables.errors![0].message).toMatch(/DateTime must be an ISO 8601 date-time/);
    const inline = await app.gql(`{ incidents(filter: { from: "Testy Notrealperson" }) { edges { node { id } } } }`, {}, officer);
    expectClean(inline, "Testy", "Notrealperson");
    const bare = await app.gql(`{ incidents(filter: { from: Notrealperson }) { edges { node { id } } } }`, {}, officer);
    expectClean(bare, "Notrealperson");
  });

  it("LocalDate, in variables and in the document", async () => {
    const q = `query($f: PrisonCoverageFilter) { prisonNaloxoneCoverage(filter: $f) { rows { month } } }`;
    expectClean(await app.gql(q, { f: { from: "1983-04-12T00:00:00Z" } }, analyst), "1983-04-12");
    expectClean(await app.gql(`{ prisonNaloxoneCoverage(filter: { from: "12/04/1983" }) { rows { month } } }`, {}, analyst), "12/04/1983", "1983");
  });

  it("enums, in variables and in the document", async () => {
    expectClean(await app.gql(`query($f: IncidentFilter) { incidents(filter: $f) { edges { node { id } } } }`, { f: { outcome: "Testy Notrealperson" } }, officer), "Testy", "Notrealperson");
    expectClean(await app.gql(`{ incidents(filter: { outcome: Notrealperson }) { edges { node { id } } } }`, {}, officer), "Notrealperson");
  });
});
