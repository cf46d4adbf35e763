import type { InputProblem } from "../../core/errors.js";
import { OfferOutcome, ReleaseType } from "./prison.enums.js";

// Pure rules of the prison THN journey and its coverage measure: no I/O.

export const PRISON_LIMITS = {
  /** Prison take-home naloxone programmes in England began around 2014; earlier dates are typing errors. */
  earliest: "2014-01-01",
} as const;

/** Reference values for coverage dashboards (domain brief §5.3 Table F). */
export const COVERAGE_REFERENCES = { national: 0.12, forwardTrust: 0.42 } as const;

export interface ReleaseFacts {
  opioidUseIdentified: boolean;
  identifiedOn?: string | null;
  pointOfOffer?: string | null;
  offerOutcome: OfferOutcome;
  declineReason?: string | null;
  trainedOn?: string | null;
  trainerType?: string | null;
  kitIssued: boolean;
  kitHeldIn?: string | null;
  releaseDate: string;
  releaseType: ReleaseType;
  releasedWithKit: boolean;
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** Every broken rule of a release record, as {field, rule}; values are never echoed. */
export function checkRelease(r: ReleaseFacts, today: string): InputProblem[] {
  const out: InputProblem[] = [];
  const date = (field: keyof ReleaseFacts, v: string | null | undefined) => {
    if (v == null) return;
    if (!isDate(v)) out.push({ field, rule: "must be a real date" });
    else if (v < PRISON_LIMITS.earliest) out.push({ field, rule: `must not be before ${PRISON_LIMITS.earliest}` });
    else if (v > today) out.push({ field, rule: "must not be in the future" });
  };
  date("identifiedOn", r.identifiedOn);
  date("trainedOn", r.trainedOn);
  date("releaseDate", r.releaseDate);
  if (r.identifiedOn && r.identifiedOn > r.releaseDate) out.push({ field: "identifiedOn", rule: "must not be after the release date" });
  if (r.trainedOn && r.trainedOn > r.releaseDate) out.push({ field: "trainedOn", rule: "must not be after the release date" });
  if (r.identifiedOn && !r.opioidUseIdentified) out.push({ field: "identifiedOn", rule: "is given only when opioid use was identified" });
  if (r.offerOutcome === OfferOutcome.NOT_OFFERED && r.pointOfOffer) out.push({ field: "pointOfOffer", rule: "must be empty when naloxone was not offered" });
  if (r.offerOutcome !== OfferOutcome.NOT_OFFERED && !r.pointOfOffer) out.push({ field: "pointOfOffer", rule: "is required when naloxone was offered" });
  if (r.offerOutcome === OfferOutcome.DECLINED && !r.declineReason) out.push({ field: "declineReason", rule: "is required when the offer was declined" });
  if (r.offerOutcome !== OfferOutcome.DECLINED && r.declineReason) out.push({ field: "declineReason", rule: "is given only when the offer was declined" });
  if (!!r.trainedOn !== !!r.trainerType) out.push({ field: "trainerType", rule: "is given exactly when a training date is" });
  if (r.kitHeldIn && !r.kitIssued) out.push({ field: "kitHeldIn", rule: "is given only when a kit was issued" });
  if (r.releasedWithKit && !r.kitIssued) out.push({ field: "releasedWithKit", rule: "needs a kit to have been issued" });
  if (r.releasedWithKit && r.releaseType === ReleaseType.TRANSFERRED) out.push({ field: "releasedWithKit", rule: "cannot be true for a transfer: kits do not move between prisons" });
  return out;
}
