import fc from "fast-check";
import {
  publishCount, publishedRatio, publishGroup, publishShareOf, roundCount, suppressLinked, type PublishedCount,
} from "../../src/modules/aggregates/suppression.policy";

const RULE = { max: 7, roundTo: 5 };
const revealsSmall = (p: PublishedCount) => p.count !== null && p.count >= 1 && p.count <= RULE.max;
const HIDDEN_COUNT: PublishedCount = { count: null, suppressed: true };

describe("publishCount", () => {
  it.each([
    [0, { count: 0, suppressed: false }],
    [1, { count: null, suppressed: true }],
    [7, { count: null, suppressed: true }],
    [8, { count: 10, suppressed: false }],
    [12, { count: 10, suppressed: false }],
    [13, { count: 15, suppressed: false }],
    [314, { count: 315, suppressed: false }],
  ])("publishes %i as %j", (n, expected) => {
    expect(publishCount(n, RULE)).toEqual(expected);
  });

  it("never rounds a count above the threshold down to zero or into the hidden range", () => {
    expect(roundCount(8, { max: 7, roundTo: 20 })).toBe(20);
    expect(roundCount(3, { max: 2, roundTo: 5 })).toBe(5);
  });
});

describe("publishGroup", () => {
  it("hides the next smallest part when exactly one part is hidden", () => {
    const g = publishGroup([3, 40, 12, 0], RULE);
    expect(g.parts).toEqual([
      { count: null, suppressed: true },
      { count: 40, suppressed: false },
      { count: null, suppressed: true },
      { count: 0, suppressed: false },
    ]);
    expect(g.total).toEqual({ count: 55, suppressed: false });
  });

  it("hides a further part when the hidden parts together are small", () => {
    const g = publishGroup([2, 3, 30, 50], RULE);
    expect(g.parts.map((p) => p.suppressed)).toEqual([true, true, true, false]);
  });

  it("hides the total when it is the only other member of the group", () => {
    expect(publishGroup([4, 0, 0], RULE).total).toEqual({ count: null, suppressed: true });
  });

  it("leaves a group with no small part alone", () => {
    expect(publishGroup([10, 20], RULE)).toEqual({ parts: [{ count: 10, suppressed: false }, { count: 20, suppressed: false }], total: { count: 30, suppressed: false } });
  });
});

describe("shares and ratios", () => {
  it("hides a count whose complement in its whole is small", () => {
    expect(publishShareOf(19, 20, RULE).part).toEqual({ count: null, suppressed: true });
    expect(publishShareOf(10, 20, RULE).part).toEqual({ count: 10, suppressed: false });
  });

  it("computes ratios from published figures and withholds them over hidden or zero figures", () => {
    expect(publishedRatio({ count: 10, suppressed: false }, { count: 20, suppressed: false })).toBe(0.5);
    expect(publishedRatio({ count: null, suppressed: true }, { count: 20, suppressed: false })).toBeNull();
    expect(publishedRatio({ count: 10, suppressed: false }, { count: null, suppressed: true })).toBeNull();
    expect(publishedRatio({ count: 0, suppressed: false }, { count: 0, suppressed: false })).toBeNull();
  });
});

describe("properties", () => {
  const counts = fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 300 })), { minLength: 1, maxLength: 12 });

  it("no published figure, totals included, is a count from 1 to 7", () => {
    fc.assert(
      fc.property(counts, (parts) => {
        const g = publishGroup(parts, RULE);
        return ![...g.parts, g.total].some(revealsSmall);
      }),
      { numRuns: 2000 },
    );
  });

  it("every published figure is zero or a multiple of 5 above 7, and zero only for a true zero", () => {
    fc.assert(
      fc.property(counts, (parts) => {
        const g = publishGroup(parts, RULE);
        const all = [...g.parts, g.total];
        const truth = [...parts, parts.reduce((s, n) => s + n, 0)];
        return all.every((p, i) => p.count === null || (p.count === 0 ? truth[i] === 0 : p.count % 5 === 0 && p.count > 7 && Math.abs(p.count - truth[i]) <= 2.5));
      }),
      { numRuns: 2000 },
    );
  });

  /**
   * What someone learns about hidden part i by subtracting: the true total and each visible part are
   * known only to within their rounding band, other hidden parts are at least 1, and a hidden total is
   * from 1 to max. Returns how many values part i could still take (capped).
   */
  const candidatesForHiddenPart = (out: { parts: PublishedCount[]; total: PublishedCount }, i: number, rule: { max: number; roundTo: number }): number => {
    const band = Math.floor(rule.roundTo / 2);
    const range = (p: PublishedCount): [number, number] =>
      p.suppressed ? [1, Infinity] : p.count === 0 ? [0, 0] : [Math.max(rule.max + 1, p.count! - band), p.count! + band];
    const [tLo, tHi] = out.total.suppressed ? [1, rule.max] : range(out.total);
    let othersLo = 0;
    let othersHi = 0;
    for (const [k, p] of out.parts.entries()) {
      if (k === i) continue;
      const [lo, hi] = range(p);
      othersLo += lo;
      othersHi += hi;
    }
    const lo = Math.max(1, tLo - othersHi);
    const hi = Math.min(out.total.suppressed ? rule.max : Infinity, tHi - othersLo);
    return Math.min(hi - lo + 1, 100);
  };

  for (const [name, rule] of [["as configured", RULE], ["even with totals published exactly", { max: 7, roundTo: 1 }]] as const) {
    it(`a single hidden part cannot be recovered from the published total minus the other figures (${name})`, () => {
      fc.assert(
        fc.property(counts, (parts) => {
          const out = publishGroup(parts, rule);
          return out.parts.every((p, i) => !p.suppressed || candidatesForHiddenPart(out, i, rule) >= 2);
        }),
        { numRuns: 3000 },
      );
      // Without complementary suppression, 3 beside 40 under an exact total of 43 would be pinned:
      const naive = { parts: [HIDDEN_COUNT, { count: 40, suppressed: false }], total: { count: 43, suppressed: false } };
      expect(candidatesForHiddenPart(naive, 0, { max: 7, roundTo: 1 })).toBe(1);
    });
  }

  it("without rounding to hide behind, a lone hidden part always has a hidden partner and hidden parts beside a visible total are never small together", () => {
    const exact = { max: 7, roundTo: 1 };
    fc.assert(
      fc.property(counts, (parts) => {
        const g = publishGroup(parts, exact);
        const hidden = parts.filter((_, i) => g.parts[i].suppressed);
        if (hidden.length === 0) return true;
        if (hidden.length === 1 && !g.total.suppressed) return false;
        const sum = hidden.reduce((s, n) => s + n, 0);
        return g.total.suppressed || sum > exact.max;
      }),
      { numRuns: 2000 },
    );
    // e.g. 3 beside 40 with the total 43 published exactly: the 40 must go too, or 43 - 40 gives the 3
    expect(publishGroup([3, 40], exact).parts.map((p) => p.suppressed)).toEqual([true, true]);
  });

  it("linked tables (rows and columns with totals) never show a count from 1 to 7, and no equation has exactly one hidden member", () => {
    const table = fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, (rows) => {
        // cells row-major, then row totals, then column totals, then the grand total
        const cells = rows.flat();
        const rowTotals = rows.map((r) => r[0] + r[1]);
        const colTotals = [0, 1].map((c) => rows.reduce((s, r) => s + r[c], 0));
        const values = [...cells, ...rowTotals, ...colTotals, colTotals[0] + colTotals[1]];
        const rt = (r: number) => cells.length + r;
        const ct = (c: number) => cells.length + rows.length + c;
        const grand = values.length - 1;
        const equations = [
          ...rows.map((_, r) => ({ total: rt(r), parts: [2 * r, 2 * r + 1] })),
          ...[0, 1].map((c) => ({ total: ct(c), parts: rows.map((_, r) => 2 * r + c) })),
          { total: grand, parts: rows.map((_, r) => rt(r)) },
          { total: grand, parts: [ct(0), ct(1)] },
        ];
        const hidden = suppressLinked(values, equations, RULE);
        if (values.some((v, i) => v >= 1 && v <= 7 && !hidden[i])) return false;
        return equations.every((e) => [e.total, ...e.parts].filter((m) => hidden[m]).length !== 1);
      }),
      { numRuns: 1000 },
    );
  });
});
