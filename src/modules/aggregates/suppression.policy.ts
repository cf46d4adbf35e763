// The small-number rule, pure: every count any aggregate publishes passes through publishCount.
// Cell-key method (ONS Census 2021, ABS TableBuilder): every counted record carries a random record
// key fixed at insert; a published count's cell key is the sum of its records' keys modulo the table
// size; (count, cell key) selects the published value from a fixed perturbation table. So the same
// records always give the same figure, whatever query produced them, and different sets of records
// get independent noise. Why each rule: docs/disclosure.md.

import { mulberry32 } from "../../core/prng.js";

/** The configured rule (SUPPRESS_MAX, ROUND_TO, CELL_KEY_TABLE_SIZE, PERCENTILE_MIN_VALUES). */
export interface DisclosureRule {
  /** Counts 1..max are never published. */
  max: number;
  /** Published counts are multiples of this, within roundTo - 1 of the truth. */
  roundTo: number;
  /** Columns of the perturbation table: cell keys are taken modulo this (a multiple of roundTo). */
  tableSize: number;
  /** A median or percentile is published only over at least this many values. */
  minPercentileValues: number;
}
/** The older name of the rule, kept for callers that only pass it along. */
export type SuppressionRule = DisclosureRule;

/** What a client sees of one count. */
export interface PublishedCount {
  count: number | null;
  suppressed: boolean;
}

/** A sum of record keys as SQL returns it (sum(record_key)::text, an int8 string) or as a number. */
export type KeySum = number | bigint | string;

/**
 * The population a count is a part of (an attribute count within its cell: reversed among
 * administrations, with a kit among those released). `sensitive`: the attribute is one a person
 * would not want known (consent, referral, engagement, known to services, take-home naloxone).
 */
export interface Within {
  population: number;
  sensitive?: boolean;
  /** The population's own published figure, when it is published too: a part of a hidden figure is hidden. */
  parent?: PublishedCount;
}

export const HIDDEN: PublishedCount = Object.freeze({ count: null, suppressed: true });

export const isSmall = (n: number, rule: Pick<DisclosureRule, "max">): boolean => n >= 1 && n <= rule.max;

/** The cell key: the records' key sum modulo the table size. */
export function cellKey(keySum: KeySum, tableSize: number): number {
  const s = typeof keySum === "bigint" ? keySum : BigInt(typeof keySum === "number" ? Math.trunc(keySum) : keySum || "0");
  const m = s % BigInt(tableSize);
  return Number(m < 0n ? m + BigInt(tableSize) : m);
}

// ---- The perturbation table ----
// Row n, column k. Each row has its own fixed permutation of the columns (rank); the first
// (n - lower) * tableSize / roundTo ranks go up to the next multiple, the rest down, so across the
// columns a row's published values average exactly n (unbiased). Rows repeat every ROW_PERIOD
// counts; the permutations come from a fixed generator, so the table is the same on every hub.
// It is not secret: the protection is the record keys, which no API returns.

const ROW_PERIOD = 64;
const ranks = new Map<number, Uint32Array[]>();

function rowRanks(n: number, tableSize: number): Uint32Array {
  let rows = ranks.get(tableSize);
  if (!rows) {
    rows = [];
    for (let r = 0; r < ROW_PERIOD; r++) {
      const rand = mulberry32(0x9e3779b9 ^ Math.imul(r + 1, 0x85ebca6b) ^ tableSize);
      const order = Array.from({ length: tableSize }, (_, i) => i);
      for (let i = tableSize - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const rank = new Uint32Array(tableSize);
      order.forEach((column, position) => (rank[column] = position));
      rows.push(rank);
    }
    ranks.set(tableSize, rows);
  }
  return rows[n % ROW_PERIOD];
}

/**
 * The table's entry for a true count n (> max) and cell key k: a multiple of roundTo within
 * roundTo - 1 of n, never 1..max. Unbiased (over cell keys) wherever the multiple below n is above max.
 */
export function perturbedValue(n: number, key: number, rule: Pick<DisclosureRule, "max" | "roundTo" | "tableSize">): number {
  const lower = Math.floor(n / rule.roundTo) * rule.roundTo;
  if (lower === n && n > rule.max) return n;
  const upper = lower + rule.roundTo;
  if (lower <= rule.max) return upper;
  const upColumns = ((n - lower) * rule.tableSize) / rule.roundTo;
  return rowRanks(n, rule.tableSize)[key % rule.tableSize] < upColumns ? upper : lower;
}

/**
 * The one way to publish a count. `n` true records whose keys sum to `keySum`:
 * 0 stays 0, 1..max is suppressed, anything else is the perturbation table's value. With `within`:
 * a part of a population of 1..max is suppressed whatever it is (0 included), so a filter cannot
 * tell one person's attribute; a sensitive part is published only when it and the rest of its
 * population are both above max (so "all" or "none" is never stated about a group); a part of a
 * population whose own published figure (`within.parent`) is hidden is hidden too.
 */
export function publishCount(n: number, keySum: KeySum, rule: DisclosureRule, within?: Within): PublishedCount {
  if (within) {
    // Else a 0 under a hidden parent would say the parent is 0, and so tell what hid it.
    if (within.parent?.suppressed) return HIDDEN;
    if (within.population === 0) return { count: 0, suppressed: false };
    if (isSmall(within.population, rule)) return HIDDEN;
    if (within.sensitive && (n <= rule.max || within.population - n <= rule.max)) return HIDDEN;
  }
  if (n === 0) return { count: 0, suppressed: false };
  if (isSmall(n, rule)) return HIDDEN;
  return { count: perturbedValue(n, cellKey(keySum, rule.tableSize), rule), suppressed: false };
}

/**
 * A ratio from published figures only, so it cannot be used to recover a hidden or perturbed count;
 * withheld when either side is hidden or the denominator is zero.
 */
export function publishedRatio(numerator: PublishedCount, denominator: PublishedCount, decimals = 2): number | null {
  if (numerator.suppressed || denominator.suppressed || numerator.count === null || !denominator.count) return null;
  const f = 10 ** decimals;
  return Math.round((numerator.count / denominator.count) * f) / f;
}

/** A median or percentile: only over at least minPercentileValues values, rounded to a whole unit. */
export function publishPercentile(value: number | null | undefined, values: number, rule: Pick<DisclosureRule, "minPercentileValues">): number | null {
  if (value === null || value === undefined || values < rule.minPercentileValues) return null;
  return Math.round(value);
}

/** What the API says of the rule (never the table size). */
export const ruleInfo = (rule: DisclosureRule) => ({ max: rule.max, roundTo: rule.roundTo, minPercentileValues: rule.minPercentileValues });

/** SQL for a cell's key sum over rows aliased `alias`, optionally only those matching `filter`. */
export const keySumSql = (alias: string, filter?: string): string => `coalesce(sum(${alias}."recordKey")${filter ? ` FILTER (WHERE ${filter})` : ""}, 0)::text`;
