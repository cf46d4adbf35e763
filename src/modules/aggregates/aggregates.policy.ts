import { cellToBoundary } from "h3-js";
import type { InputProblem } from "../../core/errors.js";
import type { PublishedCount } from "./suppression.policy.js";

// Pure rules of the aggregate queries: argument checks and the GeoJSON shape. No I/O.

export const HEATMAP_RESOLUTIONS = { min: 5, max: 9, default: 7 } as const;

export function checkResolution(resolution: number | null | undefined): InputProblem[] {
  if (resolution === null || resolution === undefined) return [];
  return Number.isInteger(resolution) && resolution >= HEATMAP_RESOLUTIONS.min && resolution <= HEATMAP_RESOLUTIONS.max
    ? []
    : [{ field: "resolution", rule: `must be an H3 resolution from ${HEATMAP_RESOLUTIONS.min} to ${HEATMAP_RESOLUTIONS.max}` }];
}

/**
 * Filters a figure over a union of records may use: at most one substance and one recording agency,
 * since a union of several would give many overlapping figures over the same records (and their
 * differences); docs/disclosure.md, "What a filter may ask".
 */
export function checkUnionFilter(filter: { substances?: readonly string[] | null; agencyCodes?: readonly string[] | null } | null | undefined, prefix = "filter."): InputProblem[] {
  const out: InputProblem[] = [];
  if ((filter?.substances?.length ?? 0) > 1) out.push({ field: `${prefix}substances`, rule: "must name at most one substance" });
  if ((filter?.agencyCodes?.length ?? 0) > 1) out.push({ field: `${prefix}agencyCodes`, rule: "must name at most one agency" });
  return out;
}

/** The problem, if any, with an area list that a figure over all of them would be published for. */
export const AREA_SCOPE_RULE = "must be one area or exactly the areas one agency serves";

export interface GeoFeature {
  type: "Feature";
  id: string;
  geometry: { type: "Polygon"; coordinates: number[][][] };
  properties: { count: number | null; suppressed: boolean };
}

/**
 * Cells as a GeoJSON FeatureCollection: [lng, lat] positions, one closed ring per cell, and only the
 * published figures as properties, so a map can style it directly and shows nothing the API hides.
 */
export function cellsToGeoJson(cells: ReadonlyArray<{ h3: string } & PublishedCount>): { type: "FeatureCollection"; features: GeoFeature[] } {
  return {
    type: "FeatureCollection",
    features: cells.map((c) => {
      const ring = cellToBoundary(c.h3, true);
      const [first, last] = [ring[0], ring[ring.length - 1]];
      if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
      return { type: "Feature", id: c.h3, geometry: { type: "Polygon", coordinates: [ring] }, properties: { count: c.count, suppressed: c.suppressed } };
    }),
  };
}
