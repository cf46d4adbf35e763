// Programme panel: forces by carriage status, supply and training tiles, per-force figures and
// funding by strand, from programmeKpis (aggregate readers). Counts follow the same display rules
// as the rest of the dashboard: a suppressed count is never shown as a number.

import { gql } from "./api.js";
import { formatCount, formatShare } from "./format.js";
import { type Count, type ProgrammeKpis } from "./programme.query.js";
import { ProgrammeKpisDocument } from "./generated/graphql.js";

const words = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, " ");
const count = (c: Count | null) => (c === null ? "no data" : formatCount(c));
const rate = (r: number | null) => (r === null ? "not published" : r.toLocaleString("en-GB", { maximumFractionDigits: 1 }));
const pounds = (n: number) => `£${Math.round(n).toLocaleString("en-GB")}`;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

function table(caption: string, head: string[], rows: string[][]): HTMLTableElement {
  return el(
    "table",
    { className: "data" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c))))),
  );
}

export function renderProgramme(box: HTMLElement, k: ProgrammeKpis): void {
  const t = k.total;
  const tiles: Array<[string, string, string]> = [
    ["trained", "Officers trained", count(t.trained)],
    ["carrying", "Officers carrying", count(t.carrying)],
    ["per100", "Administrations per 100 carrying officers", rate(t.administrationsPer100Carrying)],
    ["refreshers", "Refreshers in date", formatShare(t.refresherCompliance)],
    ["onHand", "Kits on hand", count(t.kitsOnHand)],
    ["expiring", `Kits expiring within ${k.expiringWithinDays} days`, count(t.kitsExpiring)],
    ["used", "Kits used in the period", count(t.kitsUsed)],
  ];
  const tileBox = el("div", { className: "tiles" });
  for (const [key, label, value] of tiles) {
    const v = el("p", { className: "value" }, value);
    if (["suppressed", "not published", "no data"].includes(value)) v.classList.add("withheld");
    const tile = el("div", { className: "tile" }, v, el("p", { className: "label" }, label));
    tile.dataset.programmeKpi = key;
    tileBox.appendChild(tile);
  }
  box.replaceChildren(
    tileBox,
    table("Forces by carriage status (latest recorded)", ["Status", "Forces"], [
      ...k.forcesByCarriageStatus.filter((s) => s.forces > 0).map((s) => [words(s.status), String(s.forces)]),
      ["Kit distribution paused", String(k.forcesDistributionPaused)],
    ]),
    table(
      "By force",
      ["Force", "Trained", "Carrying", "Administrations", "Per 100 carrying", "Refreshers in date", "Kits on hand", "Expiring"],
      k.forces.map((f) =>
        f.dataReceived
          ? [f.distributionPaused ? `${f.forceCode} (distribution paused)` : f.forceCode, count(f.trained), count(f.carrying), count(f.administrations), rate(f.administrationsPer100Carrying), formatShare(f.refresherCompliance), count(f.kitsOnHand), count(f.kitsExpiring)]
          : [f.forceCode, "data not received", "", "", "", "", "", ""],
      ),
    ),
    table("Funding by strand (GBP)", ["Strand", "Available", "Allocated", "Spent", "Remaining"], k.fundingByStrand.map((s) => [words(s.strand), pounds(s.available), pounds(s.allocated), pounds(s.spent), pounds(s.remaining)])),
  );
}

/** Loads and draws the panel for the dashboard's period. */
export async function loadProgramme(box: HTMLElement, from: Date, to: Date): Promise<void> {
  const d = await gql(ProgrammeKpisDocument, { filter: { from: from.toISOString(), to: to.toISOString() } });
  renderProgramme(box, d.programmeKpis as ProgrammeKpis);
}
