// The weekly (or, for long periods, monthly) series and prison coverage as plain SVG bar charts,
// each with a data table beside it and an empty state that says so.

export interface Bar {
  /** Week start (YYYY-MM-DD) or month (YYYY-MM). */
  key: string;
  value: Count;
}
export interface CoverageFigures {
  opioidUsersReleased: Count;
  releasedWithKit: Count;
  share?: number | null;
}

import type { Count } from "./api.js";
import { formatCount, formatShare } from "./format.js";
import { clear, hatchDefs, svg, titled, VIRIDIS } from "./svg.js";

const cell = (text: string, tag: "td" | "th" = "td") => Object.assign(document.createElement(tag), { textContent: text });
const row = (...texts: string[]) => {
  const tr = document.createElement("tr");
  texts.forEach((t, i) => tr.appendChild(cell(t, i === 0 ? "th" : "td")));
  return tr;
};

/** A "nice" upper bound for an axis. */
function niceMax(v: number): number {
  if (v <= 0) return 10;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

/**
 * Administrations by week or by month. A suppressed bar is a hatched, outlined block up to the
 * suppression threshold: hidden, which is not zero (a zero has no bar and says 0 in the table).
 * Labels: months under the first week of each month for weekly bars; a year under each January
 * for monthly bars, and every month's initial when there is room.
 */
export function drawSeries(root: SVGSVGElement, table: HTMLTableSectionElement, bars: Bar[], hiddenMax: number, unit: "week" | "month"): void {
  const [W, H, L, B, T] = [680, 300, 40, 30, 10];
  clear(root);
  root.setAttribute("viewBox", `0 0 ${W} ${H}`);
  root.dataset.unit = unit;
  root.appendChild(hatchDefs("hatch-weekly"));
  const anything = bars.some((b) => b.value.suppressed || (b.value.count ?? 0) > 0);
  const max = niceMax(Math.max(hiddenMax + 1, ...bars.map((b) => b.value.count ?? 0)));
  const y = (v: number) => H - B - ((H - B - T) * v) / max;
  const band = (W - L - 10) / Math.max(1, bars.length);

  const axis = svg("g", { class: "axis", "aria-hidden": "true" });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    axis.appendChild(svg("line", { x1: L, x2: W - 10, y1: y(v), y2: y(v) }));
    axis.appendChild(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)));
  }
  let lastLabelX = -Infinity;
  bars.forEach((b, i) => {
    const x = L + i * band;
    let label: string | null = null;
    if (unit === "week" && Number(b.key.slice(8, 10)) <= 7) {
      label = new Date(`${b.key}T00:00:00Z`).toLocaleDateString("en-GB", { month: "short", year: i === 0 || b.key.slice(5, 7) === "01" ? "2-digit" : undefined, timeZone: "UTC" });
    } else if (unit === "month" && (b.key.endsWith("-01") || i === 0)) label = b.key.slice(0, 4);
    // Never two labels on top of each other.
    if (label && x - lastLabelX >= label.length * 6.5 + 4) {
      axis.appendChild(svg("text", { x, y: H - 10, class: "tick" }, label));
      lastLabelX = x;
    }
  });
  root.appendChild(axis);

  const g = svg("g", { class: "bars" });
  bars.forEach((b, i) => {
    const c = b.value;
    const x = L + i * band + (band > 4 ? 1 : 0);
    const width = Math.max(1, band - (band > 4 ? 2 : 0));
    const label = `${unit === "week" ? "Week of" : "Month"} ${b.key}: ${formatCount(c)}`;
    if (c.suppressed) g.appendChild(titled(svg("rect", { x, y: y(hiddenMax), width, height: y(0) - y(hiddenMax), fill: "url(#hatch-weekly)", stroke: "#333", "stroke-width": 0.8, class: "suppressed" }), label));
    else if (c.count) g.appendChild(titled(svg("rect", { x, y: y(c.count), width, height: y(0) - y(c.count), fill: VIRIDIS[3], class: "bar" }), label));
  });
  root.appendChild(g);
  if (!anything) root.appendChild(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, "No administrations recorded for these filters"));

  clear(table);
  for (const b of bars) table.appendChild(row(b.key, formatCount(b.value)));
}

/**
 * Share of opioid users released with a kit, by prison, as horizontal bars from 0 to 100% with the
 * national (12%) and Forward Trust (42%) reference lines from the API.
 */
export function drawPrisons(
  root: SVGSVGElement,
  table: HTMLTableSectionElement,
  prisons: Array<{ code: string; figures: CoverageFigures }>,
  refs: { national: number; forwardTrust: number },
): void {
  const [W, L, R, rowH, top] = [680, 100, 20, 34, 32];
  const H = top + rowH * Math.max(1, prisons.length) + 30;
  clear(root);
  root.setAttribute("viewBox", `0 0 ${W} ${H}`);
  root.appendChild(hatchDefs("hatch-prisons"));
  const x = (share: number) => L + (W - L - R) * share;

  const axis = svg("g", { class: "axis", "aria-hidden": "true" });
  for (let k = 0; k <= 10; k += 2) {
    axis.appendChild(svg("line", { x1: x(k / 10), x2: x(k / 10), y1: top - 6, y2: H - 24 }));
    axis.appendChild(svg("text", { x: x(k / 10), y: H - 8, "text-anchor": "middle" }, `${k * 10}%`));
  }
  root.appendChild(axis);

  if (prisons.length === 0) root.appendChild(svg("text", { x: W / 2, y: top + 20, "text-anchor": "middle", class: "empty" }, "No prison releases recorded in this period"));
  root.dataset.rows = String(prisons.length);
  prisons.forEach((p, i) => {
    const yy = top + i * rowH;
    root.appendChild(svg("text", { x: L - 8, y: yy + rowH / 2 + 4, "text-anchor": "end", class: "label" }, p.code));
    const { share } = p.figures;
    const label = `${p.code}: ${formatShare(share ?? null)} of ${formatCount(p.figures.opioidUsersReleased)} opioid users released with a kit`;
    if (share === null || share === undefined) {
      // Withheld (a figure it needs is suppressed): no bar at all, so nothing reads as a value; said in words.
      root.appendChild(titled(svg("text", { x: x(0) + 6, y: yy + rowH / 2 + 4, class: "withheld" }, "share not published: a figure it needs is suppressed"), label));
    } else {
      root.appendChild(titled(svg("rect", { x: x(0), y: yy + 6, width: x(share) - x(0), height: rowH - 12, fill: VIRIDIS[3], class: "bar" }), label));
      root.appendChild(svg("text", { x: x(share) + 6, y: yy + rowH / 2 + 4, class: "value" }, formatShare(share)));
    }
  });

  // Reference lines last, so they sit on top of the bars.
  for (const [share, name, dash] of [[refs.national, "national", "6 3"], [refs.forwardTrust, "Forward Trust", "2 3"]] as const) {
    root.appendChild(svg("line", { x1: x(share), x2: x(share), y1: top - 8, y2: H - 24, class: "reference", "stroke-dasharray": dash }));
    root.appendChild(svg("text", { x: x(share) + 4, y: top - 12, class: "reference-label" }, `${name} ${formatShare(share)}`));
  }

  clear(table);
  for (const p of prisons) table.appendChild(row(p.code, formatCount(p.figures.opioidUsersReleased), formatCount(p.figures.releasedWithKit), formatShare(p.figures.share ?? null)));
  if (prisons.length === 0) {
    const tr = document.createElement("tr");
    tr.appendChild(Object.assign(document.createElement("td"), { colSpan: 4, className: "empty-row", textContent: "No prison releases recorded in this period." }));
    table.appendChild(tr);
  }
}
