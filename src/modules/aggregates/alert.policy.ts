import type { Actor } from "../../core/auth/actor.js";
import { alertAreas } from "../../permissions/reach.js";

// Pure spike statistics and episode decisions: no I/O, unit-tested without a database.

export const BASELINE_HOURS = 28 * 24;
/** Half an incident added to the baseline, so an area with an empty baseline still has a finite expectation. */
export const BASELINE_PRIOR = 0.5;

function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/** P(X >= k) for X ~ Poisson(lambda), summed from the smaller side to keep precision. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  const term = (i: number) => Math.exp(-lambda + i * Math.log(lambda) - logFactorial(i));
  if (k > lambda) {
    let t = term(k);
    let sum = 0;
    for (let i = k; t > 1e-300 && i < k + 10_000; i++) {
      sum += t;
      t *= lambda / (i + 1);
      if (t < sum * 1e-17) break;
    }
    return Math.min(1, sum);
  }
  let below = 0;
  let t = Math.exp(-lambda);
  for (let i = 0; i < k; i++) {
    below += t;
    t *= lambda / (i + 1);
  }
  return Math.max(0, 1 - below);
}

export interface WindowFacts {
  count: number;
  baselineCount: number;
  windowHours: number;
}

export interface WindowVerdict {
  expected: number;
  pValue: number;
  spike: boolean;
}

/** Is this window's count a spike against the baseline rate scaled to the window? */
export function evaluateWindow(f: WindowFacts, settings: { minCount: number; pValue: number }): WindowVerdict {
  const expected = ((f.baselineCount + BASELINE_PRIOR) * f.windowHours) / BASELINE_HOURS;
  const pValue = poissonUpperTail(f.count, expected);
  return { expected, pValue, spike: f.count >= settings.minCount && pValue < settings.pValue };
}

export type EpisodeAction = "OPEN" | "UPDATE" | "CLOSE" | "NONE";

/** One alert per episode: open once, update while the spike holds, close when it stops. */
export function episodeAction(hasOpenEpisode: boolean, spike: boolean): EpisodeAction {
  if (spike) return hasOpenEpisode ? "UPDATE" : "OPEN";
  return hasOpenEpisode ? "CLOSE" : "NONE";
}

export enum SpikeSignificance {
  SIGNIFICANT = "SIGNIFICANT",
  HIGHLY_SIGNIFICANT = "HIGHLY_SIGNIFICANT",
  EXTREMELY_SIGNIFICANT = "EXTREMELY_SIGNIFICANT",
}

/**
 * The published significance of an alert: a band, from a p-value computed on published figures
 * only (null when the count is hidden). Every alert is at least SIGNIFICANT (below the alert
 * threshold: that is why it exists); a tenth and a hundredth of it are the next bands. The p-value
 * published is the band's bound.
 */
export function significanceBand(publishedP: number | null, threshold: number): { significance: SpikeSignificance; pValue: number } {
  const bound = (x: number) => Number(x.toPrecision(6));
  if (publishedP !== null && publishedP < threshold / 100) return { significance: SpikeSignificance.EXTREMELY_SIGNIFICANT, pValue: bound(threshold / 100) };
  if (publishedP !== null && publishedP < threshold / 10) return { significance: SpikeSignificance.HIGHLY_SIGNIFICANT, pValue: bound(threshold / 10) };
  return { significance: SpikeSignificance.SIGNIFICANT, pValue: bound(threshold) };
}

/** Alert times as published: the start of their hour. */
export const toHour = (d: Date): Date => new Date(Math.floor(d.getTime() / 3600_000) * 3600_000);

/** Areas whose alerts an agency receives: the areas it serves; the hub operator sees all (null). */
export function alertAreasFor(actor: Pick<Actor, "agency">): readonly string[] | null {
  return alertAreas({ agencyKind: actor.agency.kind, areaCodes: actor.agency.areaCodes });
}

/** Whether a raised alert reaches a subscriber (its agency's areas, narrowed by what it asked for). */
export function alertReaches(actor: Pick<Actor, "agency"> | null, areaCode: string, requested: readonly string[] | null | undefined): boolean {
  if (!actor) return false;
  const served = alertAreasFor(actor);
  if (served && !served.includes(areaCode)) return false;
  return !requested || requested.length === 0 || requested.includes(areaCode);
}
