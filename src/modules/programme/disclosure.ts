// The one place programme KPIs meet the disclosure rules. Every published figure goes through here,
// so when the aggregates module's rule changes (cell-key rounding), only these functions change.
import { publishedRatio, publishGroup, type PublishedCount, type SuppressionRule } from "../aggregates/suppression.policy.js";

export type { PublishedCount };

/**
 * A set of counts published beside their total (one per force, plus the total), with complementary
 * suppression so no hidden part follows from the others. `cellKeys` name each part (for cell-key
 * rounding); the current rule does not need them.
 */
export function publishCounts(parts: readonly number[], cellKeys: readonly string[], rule: SuppressionRule): { parts: PublishedCount[]; total: PublishedCount } {
  void cellKeys;
  return publishGroup(parts, rule);
}

/** A rate per `per` from published figures only (withheld when either is hidden or the base is 0). */
export function publishedRate(numerator: PublishedCount, denominator: PublishedCount, per = 1, decimals = 1): number | null {
  const r = publishedRatio(numerator, denominator, decimals + Math.round(Math.log10(per)) + 2);
  if (r === null) return null;
  const f = 10 ** decimals;
  return Math.round(r * per * f) / f;
}
