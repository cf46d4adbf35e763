import type { InputProblem } from "../../core/errors.js";

// Pure period rules of every aggregate: the filter's from/to snapped outward to whole ISO weeks
// (Monday 00:00 UTC) or, for prison coverage, whole calendar months; never a week (month) that has
// not ended; and, for long periods, snapped to a fixed grid of blocks, so that the number of
// different periods that end or start at a given week stays small (docs/disclosure.md, "Periods").

const DAY = 24 * 3600_000;
export const WEEK_MS = 7 * DAY;

/** Monday of the ISO week holding 2019-01-01 (the earliest incident date): the week grid's origin. */
export const WEEK_EPOCH = new Date("2018-12-31T00:00:00.000Z");
/** Periods of up to this many weeks (any calendar month, snapped outward) may start on any Monday... */
export const FREE_WEEKS = 6;
/** ...longer ones run from block to block of this many weeks, counted from WEEK_EPOCH. */
export const BLOCK_WEEKS = 4;
/** Prison coverage: periods of up to this many months start on any month; longer ones snap to quarters. */
export const FREE_MONTHS = 3;
/** Take-home naloxone programmes began around 2014: the month grid's origin. */
export const MONTH_EPOCH = new Date("2014-01-01T00:00:00.000Z");

export interface Period {
  from: Date;
  to: Date;
}

/** Monday 00:00 UTC of the week holding `d`. */
export function weekStartOf(d: Date): Date {
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY);
}

/** The first Monday 00:00 UTC at or after `d`. */
export const weekCeil = (d: Date): Date => {
  const start = weekStartOf(d);
  return start.getTime() === d.getTime() ? start : new Date(start.getTime() + WEEK_MS);
};

const weeksSince = (d: Date) => Math.round((d.getTime() - WEEK_EPOCH.getTime()) / WEEK_MS);
const weekNo = (n: number) => new Date(WEEK_EPOCH.getTime() + n * WEEK_MS);

/**
 * The period an aggregate over incidents covers: whole weeks, outward; ends no later than the start
 * of the current week; periods longer than FREE_WEEKS run from block to block (blocks of BLOCK_WEEKS
 * weeks from WEEK_EPOCH), ending at the last block that has ended. Problems name `prefix`'s fields.
 */
export function snapWeeks(filter: { from?: Date | null; to?: Date | null } | null | undefined, now: Date, prefix = "filter."): { period: Period } | { problems: InputProblem[] } {
  if (filter?.from && filter?.to && filter.from.getTime() >= filter.to.getTime()) return { problems: [{ field: `${prefix}to`, rule: "must be after from" }] };
  const current = weeksSince(weekStartOf(now));
  let from = filter?.from ? weeksSince(weekStartOf(filter.from)) : 0;
  let to = Math.min(filter?.to ? weeksSince(weekCeil(filter.to)) : current, current);
  if (from < 0) from = 0;
  if (to - from > FREE_WEEKS) {
    from = Math.floor(from / BLOCK_WEEKS) * BLOCK_WEEKS;
    to = Math.min(Math.ceil(to / BLOCK_WEEKS) * BLOCK_WEEKS, Math.floor(current / BLOCK_WEEKS) * BLOCK_WEEKS);
  }
  if (to <= from) return { problems: [{ field: `${prefix}from`, rule: "must be before the current week: aggregates cover whole weeks that have ended" }] };
  return { period: { from: weekNo(from), to: weekNo(to) } };
}

const monthsSince = (d: Date) => (d.getUTCFullYear() - MONTH_EPOCH.getUTCFullYear()) * 12 + d.getUTCMonth();
const monthNo = (n: number) => new Date(Date.UTC(MONTH_EPOCH.getUTCFullYear(), n, 1));

/** Prison coverage's period: whole calendar months, the same way (quarters for long periods). Dates are YYYY-MM-DD. */
export function snapMonths(filter: { from?: string | null; to?: string | null } | null | undefined, now: Date, prefix = "filter."): { period: Period } | { problems: InputProblem[] } {
  const parse = (s: string) => new Date(`${s}T00:00:00.000Z`);
  if (filter?.from && filter?.to && filter.from >= filter.to) return { problems: [{ field: `${prefix}to`, rule: "must be after from" }] };
  const current = monthsSince(now);
  let from = filter?.from ? monthsSince(parse(filter.from)) : 0;
  let to = current;
  if (filter?.to) {
    const t = parse(filter.to);
    to = Math.min(monthsSince(t) + (t.getUTCDate() === 1 ? 0 : 1), current);
  }
  if (from < 0) from = 0;
  if (to - from > FREE_MONTHS) {
    from = Math.floor(from / FREE_MONTHS) * FREE_MONTHS;
    to = Math.min(Math.ceil(to / FREE_MONTHS) * FREE_MONTHS, Math.floor(current / FREE_MONTHS) * FREE_MONTHS);
  }
  if (to <= from) return { problems: [{ field: `${prefix}from`, rule: "must be before the current month: coverage covers whole months that have ended" }] };
  return { period: { from: monthNo(from), to: monthNo(to) } };
}

/** Every Monday in a period, oldest first. */
export function weeksOf(p: Period): Date[] {
  const out: Date[] = [];
  for (let t = p.from.getTime(); t < p.to.getTime(); t += WEEK_MS) out.push(new Date(t));
  return out;
}
