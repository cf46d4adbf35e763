import type { InputProblem } from "../../core/errors.js";
import { TrainingKind } from "./officer.enums.js";

// Pure rules of the roster and training records: refresher due dates and input checks. No I/O.

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
/** UK police naloxone carriage began in 2019; earlier training dates are typing errors. */
export const EARLIEST_TRAINING = "2019-01-01";

/** The date `months` after `date` (YYYY-MM-DD), clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/** A refresher falls due `months` after the latest training of either kind; null if never trained. */
export function refresherDue(latestTrainedOn: string | null, months: number): string | null {
  return latestTrainedOn ? addMonths(latestTrainedOn, months) : null;
}

/** In date: trained, and the refresher is not yet overdue on `today`. */
export const refresherInDate = (due: string | null, today: string): boolean => due !== null && due >= today;

export interface TrainingFacts {
  kind: TrainingKind;
  trainedOn: string;
  confidenceBefore?: number | null;
  confidenceAfter?: number | null;
  modules: readonly string[];
}

/** Rules that need the officer's earlier training: a refresher follows an initial training. */
export function checkTraining(t: TrainingFacts, today: string, firstInitialOn: string | null): InputProblem[] {
  const out: InputProblem[] = [];
  if (!isDate(t.trainedOn)) out.push({ field: "trainedOn", rule: "must be a real date" });
  else if (t.trainedOn > today) out.push({ field: "trainedOn", rule: "must not be in the future" });
  else if (t.trainedOn < EARLIEST_TRAINING) out.push({ field: "trainedOn", rule: `must not be before ${EARLIEST_TRAINING}` });
  else if (t.kind === TrainingKind.REFRESHER) {
    if (!firstInitialOn) out.push({ field: "kind", rule: "a refresher needs an initial training recorded first" });
    else if (t.trainedOn <= firstInitialOn) out.push({ field: "trainedOn", rule: "a refresher must come after the officer's initial training" });
  }
  for (const f of ["confidenceBefore", "confidenceAfter"] as const) {
    const v = t[f];
    if (v != null && (!Number.isInteger(v) || v < 1 || v > 10)) out.push({ field: f, rule: "must be a whole number from 1 to 10" });
  }
  if (new Set(t.modules).size !== t.modules.length) out.push({ field: "modules", rule: "must not list a module twice" });
  return out;
}
