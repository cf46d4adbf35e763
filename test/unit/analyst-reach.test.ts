import "reflect-metadata";
import { AgencyKind, Role } from "../../src/core/auth/roles";
import { ruleMap } from "../../src/permissions/permissions";

// ANALYST (any agency) reaches aggregates and nothing else: evaluated against the one rule map for
// every root field, so a new operation that lets analysts in by mistake fails here.
const AGGREGATE_OPERATIONS = ["Query.heatmap", "Query.areaCounts", "Query.areaCountTable", "Query.kpis", "Query.alerts", "Query.prisonNaloxoneCoverage", "Query.administrationsByWeek", "Query.programmeKpis", "Subscription.alertRaised"];
// Analysts also read taskforceSummaries: de-identified review summaries (no person, incident or
// referral id), scoped by the service to the caller's own taskforce agency.
const ANALYST_OPERATIONS = [...AGGREGATE_OPERATIONS, "Query.taskforceSummaries", "Query.taskforceReviewCounts"];

async function allowed(role: Role): Promise<string[]> {
  const out: string[] = [];
  for (const root of ["Query", "Mutation", "Subscription"]) {
    for (const [field, rule] of Object.entries((ruleMap as Record<string, Record<string, any>>)[root] ?? {})) {
      const ctx = { _shield: { cache: {} }, actor: { sub: "t", agency: { id: "a", code: "PH-ENG", kind: AgencyKind.PUBLIC_HEALTH, areaCodes: [] }, roles: [role], collarNumber: null, requestId: null } };
      const result = await rule.resolve(undefined, {}, ctx, { fieldName: field, parentType: { name: root } }, { allowExternalErrors: true, debug: false, hashFunction: JSON.stringify });
      if (result === true) out.push(`${root}.${field}`);
    }
  }
  return out.sort();
}

describe("who reaches the aggregates", () => {
  it("ANALYST reaches only the aggregate operations", async () => {
    expect(await allowed(Role.ANALYST)).toEqual([...ANALYST_OPERATIONS].sort());
  });

  it("the dashboard leads reach the aggregates too, and caseworkers without a lead role do not", async () => {
    for (const role of [Role.FORCE_LEAD, Role.HARM_REDUCTION_LEAD, Role.NFO_COORDINATOR, Role.PRISON_NALOXONE_LEAD, Role.PROGRAMME_LEAD]) {
      expect(await allowed(role)).toEqual(expect.arrayContaining(AGGREGATE_OPERATIONS));
    }
    for (const role of [Role.OFFICER, Role.PARAMEDIC, Role.TREATMENT_WORKER, Role.ADMIN, Role.AUDITOR]) {
      expect((await allowed(role)).filter((f) => AGGREGATE_OPERATIONS.includes(f))).toEqual([]);
    }
  });
});
