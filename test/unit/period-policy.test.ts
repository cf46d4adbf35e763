import fc from "fast-check";
import { MONTH_LADDER, onLadder, snapMonths, snapWeeks, WEEK_EPOCH, WEEK_LADDER, WEEK_MS } from "../../src/modules/aggregates/period.policy";

const NOW = new Date("2026-12-01T08:00:00Z"); // a Tuesday: the current week began Monday 30 November
const iso = (d: Date) => d.toISOString();
const period = (r: ReturnType<typeof snapWeeks>) => ("period" in r ? [iso(r.period.from), iso(r.period.to)] : r.problems);

describe("snapWeeks", () => {
  it("snaps a millisecond out to its whole ISO week, and never into the current week", () => {
    expect(period(snapWeeks({ from: new Date("2026-10-14T13:37:21.123Z"), to: new Date("2026-10-14T13:37:21.124Z") }, NOW))).toEqual(["2026-10-12T00:00:00.000Z", "2026-10-19T00:00:00.000Z"]);
    expect(period(snapWeeks({ from: new Date("2026-11-24T00:00:00Z") }, NOW))).toEqual(["2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z"]);
    expect(period(snapWeeks({ from: new Date("2026-11-30T09:00:00Z") }, NOW))).toEqual([{ field: "filter.from", rule: "must be before the current week: aggregates cover whole weeks that have ended" }]);
    expect(period(snapWeeks({ from: new Date("2026-11-02T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") }, NOW))).toEqual([{ field: "filter.to", rule: "must be after from" }]);
  });

  it("puts longer periods on 4-week blocks (up to 13 weeks) and 13-week blocks (longer), counted from 31 December 2018", () => {
    // October 2026 (5 weeks once snapped): the 4-week blocks around it, 28 September to 23 November
    expect(period(snapWeeks({ from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") }, NOW))).toEqual(["2026-09-28T00:00:00.000Z", "2026-11-23T00:00:00.000Z"]);
    const year = snapWeeks({ from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") }, NOW);
    expect("period" in year && (year.period.from.getTime() - WEEK_EPOCH.getTime()) / WEEK_MS % 13).toBe(0);
    expect("period" in year && (year.period.to.getTime() - WEEK_EPOCH.getTime()) / WEEK_MS % 13).toBe(0);
  });

  it("always gives whole weeks on the ladder, containing what was asked up to the last block that has ended", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 52 }), fc.integer({ min: 0, max: WEEK_MS - 1 }), (start, weeks, jitter) => {
        const from = new Date(WEEK_EPOCH.getTime() + start * WEEK_MS + jitter);
        const to = new Date(from.getTime() + weeks * WEEK_MS - 1);
        const r = snapWeeks({ from, to }, NOW);
        if (!("period" in r)) return from.getTime() > NOW.getTime() - 14 * WEEK_MS || weeks > 50; // recent, or over 52 weeks once snapped
        const [fw, tw] = [r.period.from, r.period.to].map((d) => (d.getTime() - WEEK_EPOCH.getTime()) / WEEK_MS);
        const onGrid = WEEK_LADDER.some((l) => fw % l.grid === 0 && tw % l.grid === 0 && tw - fw <= l.upTo + l.grid);
        return Number.isInteger(fw) && Number.isInteger(tw) && onGrid && r.period.from <= from && (r.period.to >= to || r.period.to <= NOW) && r.period.to <= NOW;
      }),
    );
  });
});

describe("onLadder", () => {
  it("lets only a few periods differ by one block: a week only from a 4-week block, a block only within 13 weeks", () => {
    // Every publishable period of up to 40 weeks from 100 to 140; pairs that differ by exactly one week or block.
    const periods = new Set<string>();
    for (let f = 100; f < 140; f++) for (let t = f + 1; t <= 140; t++) {
      const { range } = onLadder(f, t, 1000, WEEK_LADDER);
      if (range) periods.add(range.join(","));
    }
    const list = [...periods].map((p) => p.split(",").map(Number));
    const isolating = (a: number, b: number) => list.filter(([f1, t1]) => list.some(([f2, t2]) => (f2 === f1 && t1 - t2 === b - a && t2 === a) || (t2 === t1 && f2 - f1 === b - a && f1 === a))).length;
    expect(isolating(120, 121)).toBe(0); // a single week: only as itself
    expect(isolating(120, 124)).toBeLessThanOrEqual(6); // a 4-week block: from windows of up to 4 blocks
  });

  it("refuses a period over 52 weeks (12 months), naming the field, and defaults a missing start to the longest allowed", () => {
    expect(period(snapWeeks({ from: new Date("2019-01-01T00:00:00Z"), to: new Date("2026-10-01T00:00:00Z") }, NOW))).toEqual([{ field: "filter.from", rule: "must be at most 52 weeks before to: ask for a longer span a period at a time" }]);
    const open = snapWeeks({}, NOW);
    expect("period" in open && (open.period.to.getTime() - open.period.from.getTime()) / WEEK_MS).toBeLessThanOrEqual(52 + 13);
    expect(period(snapMonths({ from: "2024-02-10", to: "2026-09-10" }, NOW))).toEqual([{ field: "filter.from", rule: "must be at most 12 months before to: ask for a longer span a period at a time" }]);
  });

  it("months: one month, quarters up to a year", () => {
    expect(period(snapMonths({ from: "2026-09-15", to: "2026-09-16" }, NOW))).toEqual(["2026-09-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z"]);
    expect(period(snapMonths({ from: "2026-02-10", to: "2026-09-10" }, NOW))).toEqual(["2026-01-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z"]);
    expect("problems" in snapMonths({ from: "2026-12-01" }, NOW)).toBe(true);
    expect(MONTH_LADDER.map((l) => l.grid)).toEqual([1, 3]);
  });
});
