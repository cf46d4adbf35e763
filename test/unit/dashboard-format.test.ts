import fc from "fast-check";
import { endOfToday, formatCount, formatShare, periodFor, SUPPRESSED_TEXT } from "../../dashboard/src/format";

// The dashboard's pure display rules (the browser test checks the page against the API with them).

describe("dashboard formatting", () => {
  it("shows a suppressed count in words, never as a number", () => {
    expect(formatCount({ count: null, suppressed: true })).toBe(SUPPRESSED_TEXT);
    expect(formatCount({ count: 0, suppressed: false })).toBe("0");
    expect(formatCount({ count: 1234, suppressed: false })).toBe("1,234");
    fc.assert(fc.property(fc.option(fc.nat(), { nil: null }), (count) => !/\d/.test(formatCount({ count, suppressed: true }))));
  });

  it("shows a withheld share as not published, and others as whole percentages", () => {
    expect(formatShare(null)).toBe("not published");
    expect(formatShare(0.12)).toBe("12%");
    expect(formatShare(0.4166)).toBe("42%");
  });

  it("ends periods at the end of the UTC day, so the page and anyone re-asking get the same figures", () => {
    const now = new Date("2026-11-21T06:04:59Z");
    expect(endOfToday(now).toISOString()).toBe("2026-11-22T00:00:00.000Z");
    expect(periodFor(4, now)).toEqual({ from: new Date("2026-10-25T00:00:00Z"), to: new Date("2026-11-22T00:00:00Z") });
    expect(periodFor(0, now).from.toISOString()).toBe("2019-01-01T00:00:00.000Z");
    expect(periodFor(52, new Date("2026-11-21T23:59:59Z"))).toEqual(periodFor(52, now));
  });
});
