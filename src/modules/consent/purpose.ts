import { registerEnumType } from "type-graphql";
import { Role } from "../../core/auth/roles.js";

export enum Purpose {
  TREATMENT_REFERRAL = "TREATMENT_REFERRAL",
  HARM_REDUCTION_REVIEW = "HARM_REDUCTION_REVIEW",
  SAFEGUARDING = "SAFEGUARDING",
  TASKFORCE_REVIEW = "TASKFORCE_REVIEW",
}
registerEnumType(Purpose, { name: "Purpose", description: "Why identifying data is shared; consent is given per purpose" });

/**
 * The purpose a user acts under follows from their role: written once, here (and in the README).
 * Roles without a purpose (officers, paramedics, analysts, admins) can reach identifying data only
 * on a non-consent basis: their own agency's record, direct care, or an emergency grant.
 */
export const PURPOSE_BY_ROLE: Readonly<Partial<Record<Role, Purpose>>> = {
  [Role.TREATMENT_WORKER]: Purpose.TREATMENT_REFERRAL,
  [Role.NFO_COORDINATOR]: Purpose.TREATMENT_REFERRAL,
  [Role.HARM_REDUCTION_LEAD]: Purpose.HARM_REDUCTION_REVIEW,
  [Role.CASE_COORDINATOR]: Purpose.HARM_REDUCTION_REVIEW,
  [Role.MASH_REVIEWER]: Purpose.SAFEGUARDING,
};

export function purposesOf(roles: readonly Role[]): Purpose[] {
  return [...new Set(roles.map((r) => PURPOSE_BY_ROLE[r]).filter((p): p is Purpose => !!p))];
}
