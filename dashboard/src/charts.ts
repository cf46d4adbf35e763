// The weekly series and prison coverage as plain SVG bar charts, each with a data table beside it.

import type { CoverageFigures, WeeklySeries } from "./api.js";
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
 * Administrations by week. A suppressed week is a hatched, outlined block up to the suppression
 * threshold: hidden, which is not zero (an empty week has no bar and says 0 in the table). It is
 * drawn to the threshold because that is what suppression mostly means, without claiming a value.
 */
export function drawWeekly(root: SVGSVGElement, table: HTMLTableSectionElement, s: WeeklySeries): void {
  const [W, H, L, B, T] = [680, 300, 40, 30, 10];
  clear(root);
  root.setAttribute("viewBox", `0 0 ${W} ${H}`);
  root.appendChild(hatchDefs("hatch-weekly"));
  const max = niceMax(Math.max(s.suppression.max + 1, ...s.weeks.map((w) => w.administrations.count ?? 0)));
  const y = (v: number) => H - B - ((H - B - T) * v) / max;
  const band = (W - L - 10) / Math.max(1, s.weeks.length);

  const axis = svg("g", { class: "axis", "aria-hidden": "true" });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    axis.appendChild(svg("line", { x1: L, x2: W - 10, y1: y(v), y2: y(v) }));
    axis.appendChild(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)));
  }
  // Month labels under the first week of each month.
  s.weeks.forEach((w, i) => {
    if (Number(w.weekStart.slice(8, 10)) <= 7) {
      const label = new Date(`${w.weekStart}T00:00:00Z`).toLocaleDateString("en-GB", { month: "short", year: i === 0 || w.weekStart.slice(5, 7) === "01" ? "2-digit" : undefined, timeZone: "UTC" });
      axis.appendChild(svg("text", { x: L + i * band, y: H - 10 }, label));
    }
  });
  root.appendChild(axis);

  const bars = svg("g", { class: "bars" });
  s.weeks.forEach((w, i) => {
    const c = w.administrations;
    const x = L + i * band + 1;
    const label = `Week of ${w.weekStart}: ${formatCount(c)}`;
    const hidden = s.suppression.max;
    if (c.suppressed) bars.appendChild(titled(svg("rect", { x, y: y(hidden), width: Math.max(1, band - 2), height: y(0) - y(hidden), fill: "url(#hatch-weekly)", stroke: "#333", "stroke-width": 0.8, class: "suppressed" }), label));
    else if (c.count) bars.appendChild(titled(svg("rect", { x, y: y(c.count), width: Math.max(1, band - 2), height: y(0) - y(c.count), fill: VIRIDIS[3] }), label));
  });
  root.appendChild(bars);

  clear(table);
  for (const w of s.weeks) table.appendChild(row(w.weekStart, formatCount(w.administrations)));
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
  prisons.forEach((p, i) => {
    const yy = top + i * rowH;
    root.appendChild(svg("text", { x: L - 8, y: yy + rowH / 2 + 4, "text-anchor": "end", class: "label" }, p.code));
    const { share } = p.figures;
    const label = `${p.code}: ${formatShare(share)} of ${formatCount(p.figures.opioidUsersReleased)} opioid users released with a kit`;
    if (share === null) {
      // Withheld (a figure it needs is suppressed): hatched across the whole scale, and said in words.
      root.appendChild(titled(svg("rect", { x: x(0), y: yy + 6, width: x(1) - x(0), height: rowH - 12, fill: "url(#hatch-prisons)", class: "suppressed" }), label));
      root.appendChild(svg("text", { x: x(0.5), y: yy + rowH / 2 + 4, "text-anchor": "middle", class: "on-hatch" }, "suppressed"));
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
  for (const p of prisons) table.appendChild(row(p.code, formatCount(p.figures.opioidUsersReleased), formatCount(p.figures.releasedWithKit), formatShare(p.figures.share)));
}
