import fc from "fast-check";
import { cellKey, HIDDEN, perturbedValue, publishCount, publishedRatio, publishPercentile, type DisclosureRule } from "../../src/modules/aggregates/suppression.policy";

const RULE: DisclosureRule = { max: 7, roundTo: 5, tableSize: 500, minPercentileValues: 20 };
const keySum = fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 1n << 60n }).map(String));

describe("the perturbation (fast-check properties)", () => {
  it("never publishes 1 to 7, publishes only multiples of 5, within 4 of the truth, 0 as 0", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2_000_000 }), keySum, (n, k) => {
        const p = publishCount(n, k, RULE);
        if (n === 0) return p.count === 0 && !p.suppressed;
        if (n <= 7) return p.suppressed && p.count === null;
        return !p.suppressed && p.count !== null && p.count % 5 === 0 && p.count > 7 && Math.abs(p.count - n) <= 4;
      }),
      { numRuns: 5000 },
    );
  });

  it("is deterministic: the same count and key sum always give the same figure, however the sum is written", () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 2 ** 40 }), (n, k) => {
        const a = publishCount(n, k, RULE);
        return JSON.stringify(a) === JSON.stringify(publishCount(n, String(k), RULE)) && JSON.stringify(a) === JSON.stringify(publishCount(n, BigInt(k), RULE));
      }),
    );
  });

  it("depends on the key sum only through the cell key (the sum modulo the table size)", () => {
    fc.assert(fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 2 ** 40 }), fc.nat({ max: 1000 }), (n, k, m) => publishCount(n, k, RULE).count === publishCount(n, k + m * RULE.tableSize, RULE).count));
    expect(cellKey("1000000000001", 500)).toBe(1);
    expect(cellKey(-1, 500)).toBe(499);
  });

  it("holds for other configured rules too (never 1..max, multiples of roundTo, within roundTo - 1)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.nat({ max: 100_000 }), fc.nat(), (max, roundTo, n, k) => {
        const rule = { max, roundTo, tableSize: roundTo * 50, minPercentileValues: 20 };
        const p = publishCount(n, k, rule);
        if (n === 0) return p.count === 0;
        if (n <= max) return p.suppressed;
        return p.count !== null && p.count % roundTo === 0 && p.count > max && Math.abs(p.count - n) <= roundTo - 1;
      }),
    );
  });
});

describe("the perturbation table", () => {
  it("is unbiased from 10 up: over all cell keys a row averages exactly its count", () => {
    for (const n of [10, 11, 12, 13, 14, 15, 16, 99, 1234, 98_767]) {
      let sum = 0;
      for (let k = 0; k < RULE.tableSize; k++) sum += perturbedValue(n, k, RULE);
      expect(sum / RULE.tableSize).toBe(n);
    }
  });

  it("publishes 8 and 9 as 10 (the first multiple above the threshold) and multiples of 5 as themselves", () => {
    for (let k = 0; k < RULE.tableSize; k++) {
      expect([perturbedValue(8, k, RULE), perturbedValue(9, k, RULE), perturbedValue(10, k, RULE), perturbedValue(35, k, RULE)]).toEqual([10, 10, 10, 35]);
    }
  });

  it("gives neighbouring counts independent columns: 12 and 13 do not go up on the same keys", () => {
    let both = 0;
    for (let k = 0; k < RULE.tableSize; k++) if (perturbedValue(12, k, RULE) === 15 && perturbedValue(13, k, RULE) === 15) both++;
    // Independent: about 0.4 * 0.6 of the columns; nested thresholds would give all 200 of 12's.
    expect(both).toBeGreaterThan(90);
    expect(both).toBeLessThan(150);
  });
});

describe("publishCount within a population", () => {
  it("hides any part of a population of 1 to 7, zero included, so a filter tells nothing about one person", () => {
    for (const population of [1, 3, 7]) for (let n = 0; n <= population; n++) expect(publishCount(n, 123, RULE, { population })).toEqual(HIDDEN);
    expect(publishCount(0, 0, RULE, { population: 0 })).toEqual({ count: 0, suppressed: false });
    expect(publishCount(0, 0, RULE, { population: 8 })).toEqual({ count: 0, suppressed: false });
  });

  it("hides a part of a figure that is itself hidden, so a 0 cannot say what hid its parent", () => {
    // Responses: 0 of 3 administrations, hidden; those over target (0 of those 0) must not read 0.
    const responses = publishCount(0, 0, RULE, { population: 3 });
    expect(responses).toEqual(HIDDEN);
    expect(publishCount(0, 0, RULE, { population: 0, parent: responses })).toEqual(HIDDEN);
    expect(publishCount(0, 0, RULE, { population: 0, parent: { count: 0, suppressed: false } })).toEqual({ count: 0, suppressed: false });
  });

  it("publishes a sensitive part only when it and the rest of its population are both above 7", () => {
    expect(publishCount(0, 0, RULE, { population: 30, sensitive: true })).toEqual(HIDDEN); // "none of the 30"
    expect(publishCount(30, 77, RULE, { population: 30, sensitive: true })).toEqual(HIDDEN); // "all of the 30"
    expect(publishCount(25, 77, RULE, { population: 30, sensitive: true })).toEqual(HIDDEN); // only 5 without
    expect(publishCount(10, 77, RULE, { population: 30, sensitive: true })).toEqual({ count: 10, suppressed: false });
  });
});

describe("publishedRatio and publishPercentile", () => {
  it("computes shares from published figures only", () => {
    expect(publishedRatio({ count: 10, suppressed: false }, { count: 20, suppressed: false })).toBe(0.5);
    expect(publishedRatio(HIDDEN, { count: 20, suppressed: false })).toBeNull();
    expect(publishedRatio({ count: 0, suppressed: false }, { count: 0, suppressed: false })).toBeNull();
  });

  it("publishes a median only over at least 20 values, in whole units", () => {
    expect(publishPercentile(9.5, 19, RULE)).toBeNull();
    expect(publishPercentile(9.5, 20, RULE)).toBe(10);
    expect(publishPercentile(9.49, 200, RULE)).toBe(9);
    expect(publishPercentile(null, 200, RULE)).toBeNull();
  });
});
