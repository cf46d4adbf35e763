// The one place the service's own figures reach the disclosure rules: the aggregates module's
// cell-key publishCount (docs/disclosure.md), with each figure keyed by its own referrals' record keys.
import { publishCount, publishedRatio, publishPercentile, type KeySum, type PublishedCount, type SuppressionRule } from "../aggregates/suppression.policy.js";

export type { PublishedCount, SuppressionRule };

/** One month's (or the total's) true counts with the key sums of the referrals behind each. */
export interface MonthFigures {
  received: number;
  accepted: number;
  engaged: number;
  contacted: number;
  median: number | null;
  keys: { received: KeySum; accepted: KeySum; engaged: KeySum };
}

/**
 * Received, accepted and engaged for one row. Accepted and engaged are parts of the referrals
 * received (hidden, 0 included, while those are few); engagement is a fact a person would not want
 * known, so it shows only when it and the rest are both above the threshold. The median hours to
 * first contact needs PERCENTILE_MIN_VALUES contacts and is whole hours.
 */
export function publishMonth(f: MonthFigures, rule: SuppressionRule) {
  const received = publishCount(f.received, f.keys.received, rule);
  const accepted = publishCount(f.accepted, f.keys.accepted, rule, { population: f.received, parent: received });
  const engaged = publishCount(f.engaged, f.keys.engaged, rule, { population: f.received, sensitive: true, parent: received });
  const median = received.suppressed ? null : publishPercentile(f.median, f.contacted, rule);
  return { received, accepted, engaged, median };
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
