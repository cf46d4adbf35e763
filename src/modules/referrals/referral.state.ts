import { ReferralStatus } from "./referral.entity.js";

// The referral state machine: one table, pure. Anything not listed is INVALID_TRANSITION.

export type ReferralAction = "ACCEPT" | "DECLINE" | "CONTACT_ATTEMPT" | "ENGAGE" | "FORWARD" | "CLOSE" | "WITHDRAW";

const { OPEN, ACCEPTED, CONTACT_ATTEMPTED, ENGAGED, DECLINED, CLOSED, WITHDRAWN } = ReferralStatus;

export const TRANSITIONS: Readonly<Record<ReferralAction, Partial<Record<ReferralStatus, ReferralStatus>>>> = {
  ACCEPT: { [OPEN]: ACCEPTED },
  DECLINE: { [OPEN]: DECLINED },
  CONTACT_ATTEMPT: { [ACCEPTED]: CONTACT_ATTEMPTED, [CONTACT_ATTEMPTED]: CONTACT_ATTEMPTED },
  ENGAGE: { [ACCEPTED]: ENGAGED, [CONTACT_ATTEMPTED]: ENGAGED },
  // Forwarding (signposting) closes this referral and opens one at the receiving agency.
  FORWARD: { [OPEN]: CLOSED, [ACCEPTED]: CLOSED, [CONTACT_ATTEMPTED]: CLOSED },
  CLOSE: { [OPEN]: CLOSED, [ACCEPTED]: CLOSED, [CONTACT_ATTEMPTED]: CLOSED, [ENGAGED]: CLOSED },
  // Consent withdrawn: any referral still in play stops at once.
  WITHDRAW: { [OPEN]: WITHDRAWN, [ACCEPTED]: WITHDRAWN, [CONTACT_ATTEMPTED]: WITHDRAWN, [ENGAGED]: WITHDRAWN },
};

export const ACTIVE_STATUSES: readonly ReferralStatus[] = [OPEN, ACCEPTED, CONTACT_ATTEMPTED, ENGAGED];
/** Statuses in which the receiving agency still owes the person a first contact (overdue applies). */
export const AWAITING_CONTACT: readonly ReferralStatus[] = [OPEN, ACCEPTED, CONTACT_ATTEMPTED];

export function nextStatus(from: ReferralStatus, action: ReferralAction): ReferralStatus | null {
  return TRANSITIONS[action][from] ?? null;
}

export function isOverdue(status: ReferralStatus, dueAt: Date, now: Date): boolean {
  return AWAITING_CONTACT.includes(status) && dueAt.getTime() < now.getTime();
}

/** Deadlines are data: a due time is the start plus the route's hours. */
export function dueAfter(start: Date, hours: number): Date {
  return new Date(start.getTime() + hours * 3600_000);
}

/** The event each action leaves in a referral's history. */
export const EVENT_OF: Readonly<Record<ReferralAction, string>> = {
  ACCEPT: "ACCEPTED",
  DECLINE: "DECLINED",
  CONTACT_ATTEMPT: "CONTACT_ATTEMPTED",
  ENGAGE: "ENGAGED",
  FORWARD: "FORWARDED",
  CLOSE: "CLOSED",
  WITHDRAW: "WITHDRAWN",
};
