// Small helpers for drawing SVG without a charting library.

const NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes (presentation attributes, not inline styles: the CSP allows no inline style). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A <title> child: the tooltip, and the accessible name of the shape. */
export function titled<T extends SVGElement>(el: T, title: string): T {
  el.appendChild(svg("title", {}, title));
  return el;
}

/**
 * The hatch pattern that marks suppressed figures on every chart (diagonal lines over a light
 * ground), so a hidden count is never mistaken for zero or for a low value.
 */
export function hatchDefs(id: string): SVGDefsElement {
  const defs = svg("defs");
  const p = svg("pattern", { id, patternUnits: "userSpaceOnUse", width: 6, height: 6, patternTransform: "rotate(45)" });
  p.appendChild(svg("rect", { width: 6, height: 6, fill: "#f1f1f1" }));
  p.appendChild(svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#555", "stroke-width": 2 }));
  defs.appendChild(p);
  return defs;
}

/**
 * A colour-blind-safe sequential palette: viridis, light (few) to dark (many) reversed so that
 * more administrations read as darker on a white page.
 */
export const VIRIDIS = ["#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154"];

/** Text colour readable on a viridis swatch. */
export const inkOn = (fill: string): string => (VIRIDIS.indexOf(fill) >= 3 ? "#fff" : "#000");

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}
