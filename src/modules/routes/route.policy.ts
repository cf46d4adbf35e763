import { AgencyKind } from "../../core/auth/roles.js";
import { Pathway } from "./route.entity.js";

/** Which kind of agency may receive each pathway's referrals. */
export const TARGET_KIND_BY_PATHWAY: Readonly<Record<Pathway, AgencyKind>> = {
  [Pathway.SEVENTY_TWO_HOUR_REVIEW]: AgencyKind.HARM_REDUCTION_TEAM,
  [Pathway.NFO_COORDINATOR]: AgencyKind.AMBULANCE_SERVICE,
  [Pathway.MASH_SAFEGUARDING]: AgencyKind.MASH,
  [Pathway.DIRECT_TREATMENT]: AgencyKind.TREATMENT_SERVICE,
};

/** The 72-hour review is named for its clock; the other pathways have no stated deadline, so 72 h is the default too. */
export const DEFAULT_SLA_HOURS = 72;
export const MAX_SLA_HOURS = 24 * 30;
