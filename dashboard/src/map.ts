// The heat map: the API's GeoJSON H3 cells drawn as SVG paths in a Web-Mercator projection fitted to
// the cells' bounds. No tiles or base map (closed networks); a graticule gives the bearings.

import type { CellFeature, Heatmap } from "./api.js";
import { formatCount } from "./format.js";
import { clear, hatchDefs, svg, titled, VIRIDIS } from "./svg.js";

const WIDTH = 720;
const HEIGHT = 520;
const PAD = 28;

/** Web Mercator, unscaled: longitude and latitude in degrees to x (east) and y (north). */
const mercator = ([lng, lat]: number[]): [number, number] => [
  (lng * Math.PI) / 180,
  Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)),
];

/** A projection fitted to the features' bounds, keeping the aspect ratio. */
function fit(features: CellFeature[]): (p: number[]) => [number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features)
    for (const p of f.geometry.coordinates[0]) {
      const [x, y] = mercator(p);
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  // At least about 50 km across, so a single cell is not blown up to the whole map.
  const min = 0.008;
  if (x1 - x0 < min) [x0, x1] = [(x0 + x1) / 2 - min / 2, (x0 + x1) / 2 + min / 2];
  if (y1 - y0 < min) [y0, y1] = [(y0 + y1) / 2 - min / 2, (y0 + y1) / 2 + min / 2];
  const k = Math.min((WIDTH - 2 * PAD) / (x1 - x0), (HEIGHT - 2 * PAD) / (y1 - y0));
  const [dx, dy] = [(WIDTH - k * (x1 - x0)) / 2, (HEIGHT - k * (y1 - y0)) / 2];
  return (p) => {
    const [x, y] = mercator(p);
    return [dx + k * (x - x0), HEIGHT - (dy + k * (y - y0))];
  };
}

/**
 * Class breaks for the published counts, which are all multiples of `roundTo` above the threshold:
 * at most five equal steps, as few as the largest count needs. Returns each class's upper bound.
 */
export function classes(max: number, roundTo: number): number[] {
  const step = roundTo * Math.max(1, Math.ceil(max / roundTo / 5));
  return Array.from({ length: Math.max(1, Math.ceil(max / step)) }, (_, i) => step * (i + 1));
}

/** Palette index for class i of n, spread over the viridis ramp (index 0, the palest yellow, is left out). */
const shade = (i: number, n: number): string => VIRIDIS[n === 1 ? 3 : 1 + Math.round((i * 4) / (n - 1))];

const colourFor = (count: number, breaks: number[]): string => {
  const i = breaks.findIndex((b) => count <= b);
  return shade(i < 0 ? breaks.length - 1 : i, breaks.length);
};

/** Rough centre of a cell for the text table (mean of its ring's corners). */
const centre = (f: CellFeature): [number, number] => {
  const ring = f.geometry.coordinates[0].slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
};
const lngLat = ([lng, lat]: [number, number]) => `${Math.abs(lat).toFixed(2)}°${lat >= 0 ? "N" : "S"}, ${Math.abs(lng).toFixed(2)}°${lng >= 0 ? "E" : "W"}`;

export function drawMap(target: { svg: SVGSVGElement; legend: HTMLElement; table: HTMLTableSectionElement; summary: HTMLElement }, h: Heatmap): void {
  const { roundTo, max: hiddenMax } = h.suppression;
  const root = target.svg;
  clear(root);
  root.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  root.appendChild(hatchDefs("hatch-map"));
  const features = h.geojson.features;
  const published = features.filter((f) => !f.properties.suppressed).map((f) => f.properties.count ?? 0);
  const breaks = classes(Math.max(roundTo, ...published), roundTo);

  if (features.length === 0) {
    root.appendChild(svg("text", { x: WIDTH / 2, y: HEIGHT / 2, "text-anchor": "middle", class: "empty" }, "No located administrations in this period"));
  } else {
    const project = fit(features);
    // Graticule: whole degrees inside the view, faint, labelled at the edges.
    const grid = svg("g", { class: "graticule", "aria-hidden": "true" });
    const all = features.flatMap((f) => f.geometry.coordinates[0]);
    const [lngs, lats] = [all.map((p) => p[0]), all.map((p) => p[1])];
    for (let lng = Math.floor(Math.min(...lngs)) - 1; lng <= Math.ceil(Math.max(...lngs)) + 1; lng++) {
      const [x] = project([lng, 0]);
      if (x < 0 || x > WIDTH) continue;
      grid.appendChild(svg("line", { x1: x, y1: 0, x2: x, y2: HEIGHT }));
      grid.appendChild(svg("text", { x: x + 3, y: HEIGHT - 4 }, `${Math.abs(lng)}°${lng < 0 ? "W" : "E"}`));
    }
    for (let lat = Math.floor(Math.min(...lats)) - 1; lat <= Math.ceil(Math.max(...lats)) + 1; lat++) {
      const [, y] = project([0, lat]);
      if (y < 0 || y > HEIGHT) continue;
      grid.appendChild(svg("line", { x1: 0, y1: y, x2: WIDTH, y2: y }));
      grid.appendChild(svg("text", { x: 4, y: y - 3 }, `${lat}°N`));
    }
    root.appendChild(grid);

    // One path per cell. Suppressed cells: hatched with a dark outline, never coloured as a count.
    const cells = svg("g", { class: "cells" });
    for (const f of features) {
      const d = f.geometry.coordinates[0].map((p, i) => `${i ? "L" : "M"}${project(p).map((v) => v.toFixed(1)).join(",")}`).join("") + "Z";
      const { count, suppressed } = f.properties;
      const attrs = suppressed
        ? { d, class: "cell suppressed", fill: "url(#hatch-map)", stroke: "#222", "stroke-width": 1.2, "data-h3": f.id }
        : { d, class: "cell", fill: colourFor(count ?? 0, breaks), stroke: "#fff", "stroke-width": 0.6, "data-h3": f.id };
      cells.appendChild(titled(svg("path", attrs), `Cell ${f.id}: ${suppressed ? "suppressed (small number)" : `${count} administrations`}`));
    }
    root.appendChild(cells);
  }

  // Legend: the five classes, then the suppressed marker.
  clear(target.legend);
  // The smallest count that can be published: the first multiple of roundTo above the threshold.
  const lowest = Math.ceil((hiddenMax + 1) / roundTo) * roundTo;
  const items: Array<[string, string]> = breaks.map((b, i) => {
    const from = i === 0 ? lowest : breaks[i - 1] + roundTo;
    return [shade(i, breaks.length), from >= b ? `${b}` : `${from}–${b}`];
  });
  const list = document.createElement("ul");
  for (const [fill, label] of items) list.appendChild(legendItem(fill, label));
  list.appendChild(legendItem("url(#hatch-legend)", `suppressed: 1–${hiddenMax}, or hidden so a small count cannot be worked out`));
  target.legend.appendChild(list);

  // Text alternative: the ten busiest published cells, then how many are suppressed.
  clear(target.table);
  const ranked = features.filter((f) => !f.properties.suppressed).sort((a, b) => (b.properties.count ?? 0) - (a.properties.count ?? 0));
  for (const f of ranked.slice(0, 10)) {
    const tr = document.createElement("tr");
    for (const text of [f.id, lngLat(centre(f)), formatCount(f.properties)]) tr.appendChild(Object.assign(document.createElement("td"), { textContent: text }));
    target.table.appendChild(tr);
  }
  const hidden = features.length - ranked.length;
  target.summary.textContent =
    `${features.length} cells at H3 resolution ${h.resolution}: ${ranked.length} with a published count, ${hidden} suppressed. ` +
    `Located administrations in all: ${formatCount(h.total)}.`;
}

function legendItem(fill: string, label: string): HTMLLIElement {
  const li = document.createElement("li");
  const swatch = svg("svg", { width: 18, height: 14, "aria-hidden": "true" });
  if (fill.startsWith("url(")) swatch.appendChild(hatchDefs("hatch-legend"));
  swatch.appendChild(svg("rect", { x: 1, y: 1, width: 16, height: 12, fill, stroke: fill.startsWith("url(") ? "#222" : "none" }));
  li.append(swatch, ` ${label}`);
  return li;
}
