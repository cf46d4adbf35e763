import type { InputProblem } from "../../core/errors.js";

// Pure period rules of every aggregate: the filter's from/to snapped outward to whole ISO weeks
// (Monday 00:00 UTC) or, for prison coverage, whole calendar months; never into a week (month) that
// has not ended; and onto a fixed ladder of grids by length, so that only a few published periods
// differ from each other by one small piece (docs/disclosure.md, "Periods").

const DAY = 24 * 3600_000;
export const WEEK_MS = 7 * DAY;

/** Monday of the ISO week holding 2019-01-01 (the earliest incident date): the week grid's origin. */
export const WEEK_EPOCH = new Date("2018-12-31T00:00:00.000Z");
/** Take-home naloxone programmes began around 2014: the month grid's origin. */
export const MONTH_EPOCH = new Date("2014-01-01T00:00:00.000Z");

/**
 * A period of up to `upTo` units (after snapping to whole units) runs from one multiple of `grid`
 * units to another, counted from the epoch, and ends at the latest at the last such multiple that
 * has passed. One week stays one week; up to 13 weeks go by 4-week blocks; up to 52 by 13-week
 * blocks; nothing longer (docs/disclosure.md says why: each level lets only a few periods differ by
 * one block, and the top has to end somewhere).
 */
export interface GridLevel {
  upTo: number;
  grid: number;
}
export const WEEK_LADDER: readonly GridLevel[] = [
  { upTo: 1, grid: 1 },
  { upTo: 13, grid: 4 },
  { upTo: 52, grid: 13 },
];
/** Months: one month stays one; up to 12 go by calendar quarters. */
export const MONTH_LADDER: readonly GridLevel[] = [
  { upTo: 1, grid: 1 },
  { upTo: 12, grid: 3 },
];
/** The longest period asked for (the top of the ladder): 52 weeks, 12 months. */
export const ladderMax = (ladder: readonly GridLevel[]) => ladder[ladder.length - 1].upTo;

/**
 * [from, to) in whole units since the epoch, snapped onto the ladder. `grid` 0: nothing of it has
 * ended yet; otherwise, with no range, no whole block of that grid has ended yet.
 */
export function onLadder(from: number, to: number, current: number, ladder: readonly GridLevel[]): { range: [number, number] | null; grid: number } {
  from = Math.max(0, from);
  to = Math.min(to, current);
  if (to <= from) return { range: null, grid: 0 };
  const level = ladder.find((l) => to - from <= l.upTo);
  if (!level) return { range: null, grid: Infinity };
  const f = Math.floor(from / level.grid) * level.grid;
  const t = Math.min(Math.ceil(to / level.grid) * level.grid, Math.floor(current / level.grid) * level.grid);
  return { range: t > f ? [f, t] : null, grid: level.grid };
}

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
 * The period an aggregate over incidents covers: whole weeks, outward, on WEEK_LADDER, ending at the
 * latest at the start of the current week. Problems name `prefix`'s fields.
 */
export function snapWeeks(filter: { from?: Date | null; to?: Date | null } | null | undefined, now: Date, prefix = "filter."): { period: Period } | { problems: InputProblem[] } {
  if (filter?.from && filter?.to && filter.from.getTime() >= filter.to.getTime()) return { problems: [{ field: `${prefix}to`, rule: "must be after from" }] };
  const current = weeksSince(weekStartOf(now));
  const to = Math.min(filter?.to ? weeksSince(weekCeil(filter.to)) : current, current);
  // Without a start: the longest period the ladder allows, ending where asked.
  const from = filter?.from ? weeksSince(weekStartOf(filter.from)) : to - ladderMax(WEEK_LADDER);
  const { range, grid } = onLadder(from, to, current, WEEK_LADDER);
  if (grid === Infinity) return { problems: [{ field: `${prefix}from`, rule: `must be at most ${ladderMax(WEEK_LADDER)} weeks before to: ask for a longer span a period at a time` }] };
  if (!range) {
    const rule = grid <= 1 ? "must be before the current week: aggregates cover whole weeks that have ended" : `must be earlier: a period of this length covers whole ${grid}-week blocks, and none of it has ended yet`;
    return { problems: [{ field: `${prefix}from`, rule }] };
  }
  return { period: { from: weekNo(range[0]), to: weekNo(range[1]) } };
}

const monthsSince = (d: Date) => (d.getUTCFullYear() - MONTH_EPOCH.getUTCFullYear()) * 12 + d.getUTCMonth();
const monthNo = (n: number) => new Date(Date.UTC(MONTH_EPOCH.getUTCFullYear(), n, 1));

/** Prison coverage's period: whole calendar months, the same way on MONTH_LADDER. Dates are YYYY-MM-DD. */
export function snapMonths(filter: { from?: string | null; to?: string | null } | null | undefined, now: Date, prefix = "filter."): { period: Period } | { problems: InputProblem[] } {
  const parse = (s: string) => new Date(`${s}T00:00:00.000Z`);
  if (filter?.from && filter?.to && filter.from >= filter.to) return { problems: [{ field: `${prefix}to`, rule: "must be after from" }] };
  const current = monthsSince(now);
  let to = current;
  if (filter?.to) {
    const t = parse(filter.to);
    to = Math.min(monthsSince(t) + (t.getUTCDate() === 1 ? 0 : 1), current);
  }
  const from = filter?.from ? monthsSince(parse(filter.from)) : to - ladderMax(MONTH_LADDER);
  const { range, grid } = onLadder(from, to, current, MONTH_LADDER);
  if (grid === Infinity) return { problems: [{ field: `${prefix}from`, rule: `must be at most ${ladderMax(MONTH_LADDER)} months before to: ask for a longer span a period at a time` }] };
  if (!range) {
    const rule = grid <= 1 ? "must be before the current month: coverage covers whole months that have ended" : "must be earlier: a period of this length covers whole quarters, and none of it has ended yet";
    return { problems: [{ field: `${prefix}from`, rule }] };
  }
  return { period: { from: monthNo(range[0]), to: monthNo(range[1]) } };
}

/** Every Monday in a period, oldest first. */
export function weeksOf(p: Period): Date[] {
  const out: Date[] = [];
  for (let t = p.from.getTime(); t < p.to.getTime(); t += WEEK_MS) out.push(new Date(t));
  return out;
}
