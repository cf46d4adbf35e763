import type { InputProblem } from "../../core/errors.js";

// Pure rules of funding records. No I/O.

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
export const MAX_AMOUNT = 1e11;

export interface FundingFacts {
  available: number;
  allocated: number;
  spent: number;
  periodStart: string;
  periodEnd?: string | null;
}

export function checkFunding(f: FundingFacts): InputProblem[] {
  const out: InputProblem[] = [];
  for (const k of ["available", "allocated", "spent"] as const) {
    const v = f[k];
    if (!Number.isFinite(v) || v < 0) out.push({ field: k, rule: "must be an amount of 0 or more" });
    else if (v > MAX_AMOUNT) out.push({ field: k, rule: "is too large" });
    else if (Math.round(v * 100) !== v * 100 && Math.abs(Math.round(v * 100) - v * 100) > 1e-6) out.push({ field: k, rule: "must be in pounds and pence" });
  }
  if (!isDate(f.periodStart)) out.push({ field: "periodStart", rule: "must be a real date" });
  if (f.periodEnd != null) {
    if (!isDate(f.periodEnd)) out.push({ field: "periodEnd", rule: "must be a real date" });
    else if (isDate(f.periodStart) && f.periodEnd < f.periodStart) out.push({ field: "periodEnd", rule: "must not be before periodStart" });
  }
  return out;
}
