import { registerEnumType } from "type-graphql";

export enum AgencyKind {
  HUB_OPERATOR = "HUB_OPERATOR",
  POLICE_FORCE = "POLICE_FORCE",
  AMBULANCE_SERVICE = "AMBULANCE_SERVICE",
  TREATMENT_SERVICE = "TREATMENT_SERVICE",
  HARM_REDUCTION_TEAM = "HARM_REDUCTION_TEAM",
  MASH = "MASH",
  PRISON = "PRISON",
  PUBLIC_HEALTH = "PUBLIC_HEALTH",
  TASKFORCE = "TASKFORCE",
  PROBATION = "PROBATION",
}

export enum Role {
  ADMIN = "ADMIN",
  AUDITOR = "AUDITOR",
  OFFICER = "OFFICER",
  FORCE_LEAD = "FORCE_LEAD",
  HARM_REDUCTION_LEAD = "HARM_REDUCTION_LEAD",
  CASE_COORDINATOR = "CASE_COORDINATOR",
  PARAMEDIC = "PARAMEDIC",
  NFO_COORDINATOR = "NFO_COORDINATOR",
  TREATMENT_WORKER = "TREATMENT_WORKER",
  MASH_REVIEWER = "MASH_REVIEWER",
  PRISON_NALOXONE_LEAD = "PRISON_NALOXONE_LEAD",
  ANALYST = "ANALYST",
  PROGRAMME_LEAD = "PROGRAMME_LEAD",
}

registerEnumType(AgencyKind, { name: "AgencyKind", description: "What kind of organisation an agency is" });
registerEnumType(Role, { name: "Role", description: "What a user may do; each role fits only some agency kinds" });

/**
 * The one table of which roles a user of each kind of agency may hold. A token whose roles do not
 * fit its agency's kind is refused outright (UNAUTHENTICATED), so nothing downstream has to ask.
 * ANALYST (aggregates only) fits every kind; ADMIN, AUDITOR and PROGRAMME_LEAD (national programme
 * status and funding) belong to the hub operator alone.
 */
export const ROLES_BY_KIND: Readonly<Record<AgencyKind, readonly Role[]>> = {
  [AgencyKind.HUB_OPERATOR]: [Role.ADMIN, Role.AUDITOR, Role.ANALYST, Role.PROGRAMME_LEAD],
  [AgencyKind.POLICE_FORCE]: [Role.OFFICER, Role.FORCE_LEAD, Role.ANALYST],
  [AgencyKind.AMBULANCE_SERVICE]: [Role.PARAMEDIC, Role.NFO_COORDINATOR, Role.ANALYST],
  [AgencyKind.TREATMENT_SERVICE]: [Role.TREATMENT_WORKER, Role.ANALYST],
  [AgencyKind.HARM_REDUCTION_TEAM]: [Role.HARM_REDUCTION_LEAD, Role.CASE_COORDINATOR, Role.ANALYST],
  [AgencyKind.MASH]: [Role.MASH_REVIEWER, Role.ANALYST],
  [AgencyKind.PRISON]: [Role.PRISON_NALOXONE_LEAD, Role.ANALYST],
  [AgencyKind.PUBLIC_HEALTH]: [Role.ANALYST],
  [AgencyKind.TASKFORCE]: [Role.ANALYST],
  [AgencyKind.PROBATION]: [Role.ANALYST],
};

export function roleFitsKind(role: Role, kind: AgencyKind): boolean {
  return ROLES_BY_KIND[kind].includes(role);
}
