/**
 * An asymmetric matcher for a published count of true count n under the default rule: 0 for 0,
 * otherwise a multiple of 5 above 7 within 4 of n (which one the records' cell key decides).
 */
export function publishedNear(n: number) {
  return {
    asymmetricMatch: (v: { count: number | null; suppressed: boolean } | null | undefined) =>
      !!v && v.suppressed === false && v.count !== null && (n === 0 ? v.count === 0 : v.count % 5 === 0 && v.count > 7 && Math.abs(v.count - n) <= 4),
    toAsymmetricMatcher: () => `publishedNear(${n})`,
    toString: () => `publishedNear(${n})`,
  };
}
