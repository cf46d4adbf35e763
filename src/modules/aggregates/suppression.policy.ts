// The small-number rule, pure: every count any aggregate publishes passes through here.
// A count from 1 to `max` is hidden; any other count is rounded to the nearest `roundTo`; zero stays
// zero. Where a total is published with its parts, complementary suppression makes sure no hidden
// part can be worked out from the others.

export interface SuppressionRule {
  max: number;
  roundTo: number;
}

/** What a client sees of one count. */
export interface PublishedCount {
  count: number | null;
  suppressed: boolean;
}

export const HIDDEN: PublishedCount = Object.freeze({ count: null, suppressed: true });

export const isSmall = (n: number, rule: SuppressionRule): boolean => n >= 1 && n <= rule.max;

/** Rounds a count above the threshold; never lands on zero or inside 1..max (a large roundTo could). */
export function roundCount(n: number, rule: SuppressionRule): number {
  const rounded = Math.round(n / rule.roundTo) * rule.roundTo;
  if (rounded > rule.max) return rounded;
  return Math.ceil((rule.max + 1) / rule.roundTo) * rule.roundTo;
}

/** One count on its own (no total beside it). */
export function publishCount(n: number, rule: SuppressionRule): PublishedCount {
  if (n === 0) return { count: 0, suppressed: false };
  if (isSmall(n, rule)) return HIDDEN;
  return { count: roundCount(n, rule), suppressed: false };
}

/**
 * A set of linked counts: `values` are the true counts, each equation says values[total] is the sum
 * of values[parts]. Returns which cells to hide. Primary: every count in 1..max. Secondary, until
 * nothing changes: in any equation with exactly one hidden member, hide one more (the smallest
 * visible non-zero part, else the total), since it would otherwise be the total minus the others; and
 * where the total is visible, the hidden parts together must not be small (their sum is the total
 * minus the others, within rounding), so hide the next smallest part too.
 */
export function suppressLinked(values: readonly number[], equations: ReadonlyArray<{ total: number; parts: readonly number[] }>, rule: SuppressionRule): boolean[] {
  const hidden = values.map((v) => isSmall(v, rule));
  const hideNextPart = (parts: readonly number[]): boolean => {
    let best = -1;
    for (const p of parts) if (!hidden[p] && values[p] > 0 && (best < 0 || values[p] < values[best])) best = p;
    if (best < 0) return false;
    hidden[best] = true;
    return true;
  };
  const hideAnother = (total: number, parts: readonly number[]): boolean => {
    if (hideNextPart(parts)) return true;
    if (hidden[total]) return false;
    hidden[total] = true;
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const { total, parts } of equations) {
      const hiddenParts = parts.filter((p) => hidden[p]);
      const hiddenMembers = hiddenParts.length + (hidden[total] ? 1 : 0);
      if (hiddenMembers === 0) continue;
      const exposed = hiddenMembers === 1 || (!hidden[total] && isSmall(hiddenParts.reduce((s, p) => s + values[p], 0), rule));
      if (exposed && hideAnother(total, parts)) changed = true;
    }
  }
  return hidden;
}

/** Parts published beside their total (the common case: cells of a map, areas, prisons). */
export function publishGroup(parts: readonly number[], rule: SuppressionRule): { parts: PublishedCount[]; total: PublishedCount } {
  const values = [...parts, parts.reduce((s, n) => s + n, 0)];
  const totalIndex = parts.length;
  const hidden = suppressLinked(values, [{ total: totalIndex, parts: parts.map((_, i) => i) }], rule);
  const out = values.map((v, i) => (hidden[i] ? HIDDEN : publishCount(v, rule)));
  return { parts: out.slice(0, totalIndex), total: out[totalIndex] };
}

/**
 * A count shown beside its whole (e.g. overdoses reversed out of administrations): its complement
 * is implicitly published too, so the pair is a group of two parts.
 */
export function publishShareOf(part: number, whole: number, rule: SuppressionRule): { part: PublishedCount; whole: PublishedCount } {
  const g = publishGroup([part, whole - part], rule);
  return { part: g.parts[0], whole: g.total };
}

/**
 * A ratio from published figures only, so it cannot be used to recover a hidden or rounded count;
 * withheld when either side is hidden or the denominator is zero.
 */
export function publishedRatio(numerator: PublishedCount, denominator: PublishedCount, decimals = 2): number | null {
  if (numerator.suppressed || denominator.suppressed || numerator.count === null || !denominator.count) return null;
  const f = 10 ** decimals;
  return Math.round((numerator.count / denominator.count) * f) / f;
}
