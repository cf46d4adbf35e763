import { AgencyKind, ROLES_BY_KIND, Role, roleFitsKind } from "../../src/core/auth/roles";

describe("role-by-kind table", () => {
  it("gives ADMIN and AUDITOR to the hub operator only", () => {
    for (const kind of Object.values(AgencyKind)) {
      expect(roleFitsKind(Role.ADMIN, kind)).toBe(kind === AgencyKind.HUB_OPERATOR);
      expect(roleFitsKind(Role.AUDITOR, kind)).toBe(kind === AgencyKind.HUB_OPERATOR);
    }
  });

  it("lets every kind hold ANALYST, and every role fits some kind", () => {
    for (const kind of Object.values(AgencyKind)) expect(roleFitsKind(Role.ANALYST, kind)).toBe(true);
    const used = new Set(Object.values(ROLES_BY_KIND).flat());
    expect([...used].sort()).toEqual(Object.values(Role).sort());
  });

  it("keeps front-line roles with their own kind of agency", () => {
    expect(roleFitsKind(Role.OFFICER, AgencyKind.POLICE_FORCE)).toBe(true);
    expect(roleFitsKind(Role.OFFICER, AgencyKind.AMBULANCE_SERVICE)).toBe(false);
    expect(roleFitsKind(Role.PARAMEDIC, AgencyKind.AMBULANCE_SERVICE)).toBe(true);
    expect(roleFitsKind(Role.TREATMENT_WORKER, AgencyKind.PROBATION)).toBe(false);
    expect(roleFitsKind(Role.MASH_REVIEWER, AgencyKind.MASH)).toBe(true);
  });
});
