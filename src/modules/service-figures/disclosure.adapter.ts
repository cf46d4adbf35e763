// The one place the service's own figures reach the disclosure rules. Today it calls the functions
// of src/modules/aggregates/suppression.policy.ts; the disclosure work (cell-key rounding, whole
// periods) replaces them, and at merge only this adapter switches over.
import { HIDDEN, publishCount, publishedRatio, suppressLinked, type PublishedCount, type SuppressionRule } from "../aggregates/suppression.policy.js";

export type { PublishedCount, SuppressionRule };

/**
 * Publishes linked counts: `values` are true counts, each equation says values[total] is the sum of
 * values[parts]. Hidden cells come back as { count: null, suppressed: true }. `keys` name each
 * cell (stable across queries), for rounding schemes keyed by cell.
 */
export function publishLinkedCounts(values: readonly number[], equations: ReadonlyArray<{ total: number; parts: readonly number[] }>, rule: SuppressionRule, keys: readonly string[]): PublishedCount[] {
  void keys; // the current policy rounds without cell keys
  const hidden = suppressLinked(values, equations, rule);
  return values.map((v, i) => (hidden[i] ? HIDDEN : publishCount(v, rule)));
}

/** A share from published figures only (null when either is hidden or the denominator is zero). */
export const shareOf = (numerator: PublishedCount, denominator: PublishedCount): number | null => publishedRatio(numerator, denominator);

/** The period a service's monthly figures cover: whole calendar months (UTC), snapped outward. */
export function monthPeriod(from: Date, to: Date): { from: Date; to: Date } {
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  const endMonth = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1));
  const end = endMonth.getTime() === to.getTime() ? endMonth : new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 1));
  return { from: start, to: end.getTime() > start.getTime() ? end : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)) };
}
