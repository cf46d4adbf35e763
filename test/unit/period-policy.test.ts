import fc from "fast-check";
import { BLOCK_WEEKS, FREE_WEEKS, snapMonths, snapWeeks, WEEK_EPOCH, WEEK_MS } from "../../src/modules/aggregates/period.policy";

const NOW = new Date("2026-12-01T08:00:00Z"); // a Tuesday: the current week began Monday 30 November
const iso = (d: Date) => d.toISOString();

describe("snapWeeks", () => {
  it("snaps outward to whole ISO weeks and never past the start of the current week", () => {
    const r = snapWeeks({ from: new Date("2026-10-14T13:37:21.123Z"), to: new Date("2026-10-14T13:37:21.124Z") }, NOW);
    expect("period" in r && [iso(r.period.from), iso(r.period.to)]).toEqual(["2026-10-12T00:00:00.000Z", "2026-10-19T00:00:00.000Z"]);
    const open = snapWeeks({ from: new Date("2026-11-20T00:00:00Z") }, NOW);
    expect("period" in open && [iso(open.period.from), iso(open.period.to)]).toEqual(["2026-11-16T00:00:00.000Z", "2026-11-30T00:00:00.000Z"]);
    expect(snapWeeks({ from: new Date("2026-11-30T09:00:00Z") }, NOW)).toEqual({ problems: [{ field: "filter.from", rule: "must be before the current week: aggregates cover whole weeks that have ended" }] });
    expect(snapWeeks({ from: new Date("2026-11-02T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") }, NOW)).toEqual({ problems: [{ field: "filter.to", rule: "must be after from" }] });
  });

  it("keeps periods of up to 6 weeks where asked and snaps longer ones to 4-week blocks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: WEEK_MS - 1 }), (start, weeks, jitter) => {
        const from = new Date(WEEK_EPOCH.getTime() + start * WEEK_MS + jitter);
        const to = new Date(from.getTime() + weeks * WEEK_MS);
        const r = snapWeeks({ from, to }, NOW);
        if (!("period" in r)) return to.getTime() > NOW.getTime() - 3 * WEEK_MS || weeks > FREE_WEEKS; // too recent for its grid
        const { from: f, to: t } = r.period;
        const [fw, tw] = [(f.getTime() - WEEK_EPOCH.getTime()) / WEEK_MS, (t.getTime() - WEEK_EPOCH.getTime()) / WEEK_MS];
        const whole = Number.isInteger(fw) && Number.isInteger(tw);
        const outward = f <= from && (t >= to || t.getTime() <= NOW.getTime());
        const grid = tw - fw <= FREE_WEEKS || (fw % BLOCK_WEEKS === 0 && tw % BLOCK_WEEKS === 0);
        return whole && outward && grid && t.getTime() <= NOW.getTime();
      }),
    );
  });
});

describe("snapMonths", () => {
  it("snaps days to whole months, long periods to quarters, and never into the current month", () => {
    const day = snapMonths({ from: "2026-09-15", to: "2026-09-16" }, NOW);
    expect("period" in day && [iso(day.period.from), iso(day.period.to)]).toEqual(["2026-09-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z"]);
    const long = snapMonths({ from: "2026-02-10", to: "2026-09-10" }, NOW);
    expect("period" in long && [iso(long.period.from), iso(long.period.to)]).toEqual(["2026-01-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z"]);
    expect("problems" in snapMonths({ from: "2026-12-01" }, NOW)).toBe(true);
  });
});
