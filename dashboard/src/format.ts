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

/** Hours to a whole number; null means withheld. */
export function formatHours(hours: number | null): string {
  return hours === null ? "not published" : `${Math.round(hours)} h`;
}

/**
 * The period the figures on the page actually cover, as shown above the panels. Today it is the
 * period the dashboard asked for; once aggregate answers carry `period { from to }` (the periods they
 * were snapped to), pass that answer's period as `covered` and it is shown instead.
 */
export function coveredPeriod(sent: { from: Date; to: Date }, covered?: { from: string; to: string } | null): { from: string; to: string } {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (covered) return { from: covered.from.slice(0, 10), to: day(new Date(Date.parse(covered.to) - 1)) };
  return { from: day(sent.from), to: day(new Date(sent.to.getTime() - 1)) };
}

/** Month starts (UTC) from the month of `from` to the month before `to`'s end, for monthly bars. */
export function monthsBetween(from: Date, to: Date): Array<{ month: string; from: Date; to: Date }> {
  const out: Array<{ month: string; from: Date; to: Date }> = [];
  for (let d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)); d < to; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    out.push({ month: d.toISOString().slice(0, 7), from: d < from ? from : d, to: next > to ? to : next });
  }
  return out;
}

/** Weekly bars up to this many weeks; longer periods are drawn by month. */
export const WEEKLY_MAX_WEEKS = 60;

/**
 * The fixed colour classes of the heat map: the same counts get the same colour in every view.
 * Published counts are 0, suppressed, or multiples of the rounding base above the threshold.
 */
export const MAP_CLASSES: ReadonlyArray<{ upTo: number; label: string }> = [
  { upTo: 10, label: "up to 10" },
  { upTo: 25, label: "15–25" },
  { upTo: 50, label: "30–50" },
  { upTo: 100, label: "55–100" },
  { upTo: Infinity, label: "over 100" },
];

/** Class index of a published count (0-based). */
export function mapClass(count: number): number {
  const i = MAP_CLASSES.findIndex((c) => count <= c.upTo);
  return i < 0 ? MAP_CLASSES.length - 1 : i;
}

/** The dashboard's filters as they are kept in the page's URL (query string). */
export interface Filters {
  window: number;
  substance: string;
  area: string;
  resolution: number;
}
export const DEFAULT_FILTERS: Filters = { window: 52, substance: "", area: "", resolution: 5 };
const WINDOWS = [4, 13, 26, 52, 0];
const RESOLUTIONS = [5, 6, 7];

/** Filters from a query string; anything unknown falls back to the default. */
export function filtersFromQuery(search: string): Filters {
  const q = new URLSearchParams(search);
  const n = (k: string) => (q.has(k) ? Number(q.get(k)) : NaN);
  const window = WINDOWS.includes(n("window")) ? n("window") : DEFAULT_FILTERS.window;
  const resolution = RESOLUTIONS.includes(n("resolution")) ? n("resolution") : DEFAULT_FILTERS.resolution;
  const substance = /^[A-Z_]{2,40}$/.test(q.get("substance") ?? "") ? q.get("substance")! : "";
  const area = /^(force:)?[A-Z0-9-]{2,60}$/.test(q.get("area") ?? "") ? q.get("area")! : "";
  return { window, substance, area, resolution };
}

/** The query string of filters (defaults left out, so the plain URL is the default view). */
export function queryOf(f: Filters): string {
  const q = new URLSearchParams();
  if (f.window !== DEFAULT_FILTERS.window) q.set("window", String(f.window));
  if (f.substance) q.set("substance", f.substance);
  if (f.area) q.set("area", f.area);
  if (f.resolution !== DEFAULT_FILTERS.resolution) q.set("resolution", String(f.resolution));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The area codes an area choice stands for: all areas (undefined), one force's areas, or one area. */
export function areaCodesFor(area: string, known: readonly string[]): string[] | undefined {
  if (!area) return undefined;
  if (area.startsWith("force:")) return known.filter((a) => a.startsWith(`${area.slice(6)}-`));
  return [area];
}

/**
 * The prison panel's period: the last whole calendar month that has ended. Prison coverage is
 * published for whole months, and a longer span runs on whole quarters (docs/disclosure.md), so the
 * latest month is the freshest figure the hub gives; the panel says which month it is.
 */
export function prisonPeriod(now: Date): { from: string; to: string } {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { from: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))), to: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))) };
}
