import { latLngToCell } from "h3-js";
import type { InputProblem } from "../../core/errors.js";

// Pure rules of the standard form: no I/O, unit-tested without a database.

export const LIMITS = {
  /** A police nasal kit holds 2 doses; several kits may be used. Beyond this is a typing error. */
  dosesMax: 10,
  kitsMax: 20,
  nameMax: 100,
  ageMax: 120,
  /** The longest wait the evaluation reports is 4 hours; a day is a safe outer bound. */
  ambulanceWaitMaxMinutes: 24 * 60,
  /** Police naloxone in the UK began in 2019; earlier dates are typing errors. */
  earliest: new Date("2019-01-01T00:00:00Z"),
} as const;

export const H3_RESOLUTIONS = [5, 6, 7, 8, 9] as const;

export interface FormFacts {
  occurredAt: Date;
  areaCode: string;
  person?: { dateOfBirth?: string | null; ageYears?: number | null; givenName?: string | null; familyName?: string | null } | null;
  ambulanceCalledAt?: Date | null;
  ambulanceArrivedAt?: Date | null;
  resupplyNeeded: boolean;
  kitsRequired?: number | null;
}

export interface FormContext {
  now: Date;
  clockSkewSeconds: number;
  /** Areas the recording force serves. */
  servedAreas: readonly string[];
}

const notFuture = (field: string, at: Date, ctx: FormContext, out: InputProblem[]) => {
  if (at.getTime() > ctx.now.getTime() + ctx.clockSkewSeconds * 1000) out.push({ field, rule: "must not be in the future" });
};

/** Parses YYYY-MM-DD strictly (no 2023-02-30). */
export function parseDate(s: string): Date | null {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s ? d : null;
}

export function ageAt(dob: Date, at: Date): number {
  let age = at.getUTCFullYear() - dob.getUTCFullYear();
  const beforeBirthday = at.getUTCMonth() < dob.getUTCMonth() || (at.getUTCMonth() === dob.getUTCMonth() && at.getUTCDate() < dob.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/** The form's cross-field rules. Field-level rules (ranges, formats) are on the input types. */
export function checkAdministration(f: FormFacts, ctx: FormContext): InputProblem[] {
  const out: InputProblem[] = [];
  notFuture("occurredAt", f.occurredAt, ctx, out);
  if (f.occurredAt < LIMITS.earliest) out.push({ field: "occurredAt", rule: "must not be before 2019-01-01" });
  if (!ctx.servedAreas.includes(f.areaCode)) out.push({ field: "areaCode", rule: "must be an area your force serves" });

  if (f.resupplyNeeded && !(f.kitsRequired != null && f.kitsRequired > 0)) {
    out.push({ field: "kitsRequired", rule: "must be given and above 0 when resupply is needed" });
  }
  if (!f.resupplyNeeded && f.kitsRequired != null) {
    out.push({ field: "kitsRequired", rule: "must be empty when no resupply is needed" });
  }

  const called = f.ambulanceCalledAt ?? null;
  const arrived = f.ambulanceArrivedAt ?? null;
  if (called) notFuture("ambulanceCalledAt", called, ctx, out);
  if (arrived) notFuture("ambulanceArrivedAt", arrived, ctx, out);
  if (arrived && !called) out.push({ field: "ambulanceCalledAt", rule: "must be given when the arrival time is" });
  if (called && arrived) {
    if (arrived < called) out.push({ field: "ambulanceArrivedAt", rule: "must not be before the ambulance was called" });
    else if (arrived.getTime() - called.getTime() > LIMITS.ambulanceWaitMaxMinutes * 60_000) {
      out.push({ field: "ambulanceArrivedAt", rule: "must be within 24 hours of the call" });
    }
  }
  if (called && Math.abs(called.getTime() - f.occurredAt.getTime()) > 24 * 3600_000) {
    out.push({ field: "ambulanceCalledAt", rule: "must be within 24 hours of the incident" });
  }

  const p = f.person;
  if (p?.dateOfBirth) {
    const dob = parseDate(p.dateOfBirth);
    if (!dob) out.push({ field: "person.dateOfBirth", rule: "must be a real calendar date" });
    else if (dob > f.occurredAt) out.push({ field: "person.dateOfBirth", rule: "must be before the incident" });
    else {
      const age = ageAt(dob, f.occurredAt);
      if (age > LIMITS.ageMax) out.push({ field: "person.dateOfBirth", rule: `must give an age of at most ${LIMITS.ageMax}` });
      else if (p.ageYears != null && Math.abs(age - p.ageYears) > 1) {
        out.push({ field: "person.ageYears", rule: "must agree with the date of birth" });
      }
    }
  }
  return out;
}

export function responseMinutes(called?: Date | null, arrived?: Date | null): number | null {
  if (!called || !arrived) return null;
  return Math.round((arrived.getTime() - called.getTime()) / 60_000);
}

export type H3Cells = { h3r5: string; h3r6: string; h3r7: string; h3r8: string; h3r9: string };

export function h3Cells(location?: { lat: number; lng: number } | null): H3Cells | Record<keyof H3Cells, null> {
  if (!location) return { h3r5: null, h3r6: null, h3r7: null, h3r8: null, h3r9: null };
  const [r5, r6, r7, r8, r9] = H3_RESOLUTIONS.map((r) => latLngToCell(location.lat, location.lng, r));
  return { h3r5: r5, h3r6: r6, h3r7: r7, h3r8: r8, h3r9: r9 };
}
