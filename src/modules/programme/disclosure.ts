// The one place programme KPIs meet the disclosure rules (docs/disclosure.md). Every published figure
// goes through the aggregates module's cell-key publishCount, so the same records give the same figure
// whatever query produced it. Administrations are incidents and carry their records' keys; officers,
// training and stock are staff and supply records, keyed by a fixed hash of what the cell counts (its
// force and measure), so a figure only changes when what it counts does.
import { createHash } from "node:crypto";
import { publishCount, publishedRatio, type KeySum, type PublishedCount, type SuppressionRule } from "../aggregates/suppression.policy.js";

export type { PublishedCount };

/** A stable key sum for a cell of non-person records (no record keys on those tables). */
export function staticKeySum(cell: string): number {
  return createHash("sha256").update(cell).digest().readUInt32BE(0);
}

/**
 * Counts per force and their total. Each part and the total are published from their own records
 * (the total's key sum is the sum of the parts' key sums, as its records are theirs), never
 * derived from published parts.
 */
export function publishCounts(parts: readonly number[], keySums: readonly KeySum[], rule: SuppressionRule): { parts: PublishedCount[]; total: PublishedCount } {
  const total = parts.reduce((s, n) => s + n, 0);
  const totalKey = keySums.reduce<bigint>((s, k) => s + BigInt(typeof k === "number" ? Math.trunc(k) : k || "0"), 0n);
  return { parts: parts.map((n, i) => publishCount(n, keySums[i], rule)), total: publishCount(total, totalKey, rule) };
}

/** A rate per `per` from published figures only (withheld when either is hidden or the base is 0). */
export function publishedRate(numerator: PublishedCount, denominator: PublishedCount, per = 1, decimals = 1): number | null {
  const r = publishedRatio(numerator, denominator, decimals + Math.round(Math.log10(per)) + 2);
  if (r === null) return null;
  const f = 10 ** decimals;
  return Math.round(r * per * f) / f;
}
