// How the dashboard shows published figures. Pure functions (no DOM): the browser test imports them
// to check the page against the API.

/** A published count: `count` is null exactly when `suppressed` is true. */
export interface Published {
  count: number | null;
  suppressed: boolean;
}

export const SUPPRESSED_TEXT = "suppressed";

/** A count as shown: suppressed counts say so in words, never 0. */
export function formatCount(c: Published): string {
  return c.suppressed || c.count === null ? SUPPRESSED_TEXT : c.count.toLocaleString("en-GB");
}

/** A share (0..1) as a whole percentage; null means the API withheld it. */
export function formatShare(share: number | null): string {
  return share === null ? "not published" : `${Math.round(share * 100)}%`;
}

/** Minutes to one decimal; null means withheld. */
export function formatMinutes(minutes: number | null): string {
  return minutes === null ? "not published" : `${minutes.toFixed(1)} min`;
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? "not published" : ratio.toFixed(2);
}

/** Start of the next UTC day: periods end there so the page and anyone re-asking get the same figures. */
export function endOfToday(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** The period of a "last N weeks" window ending at the end of today (UTC); weeks 0 means since 2019. */
export function periodFor(weeks: number, now: Date): { from: Date; to: Date } {
  const to = endOfToday(now);
  const from = weeks > 0 ? new Date(to.getTime() - weeks * 7 * 24 * 3600_000) : new Date(Date.UTC(2019, 0, 1));
  return { from, to };
}
