import fc from "fast-check";
import { areaCodesFor, coveredPeriod, DEFAULT_FILTERS, filtersFromQuery, MAP_CLASSES, mapClass, monthsBetween, queryOf } from "../../dashboard/src/format";

// The dashboard's filters in the URL, its area choices, its fixed colour classes, its months and
// the period it says it covers: pure functions, checked here and used by the page.

describe("filters in the URL", () => {
  it("round-trips every choice, and leaves defaults out", () => {
    expect(queryOf(DEFAULT_FILTERS)).toBe("");
    const f = { window: 13, substance: "NITAZENES", area: "force:CLE", resolution: 7 };
    expect(filtersFromQuery(queryOf(f))).toEqual(f);
    fc.assert(
      fc.property(fc.constantFrom(4, 13, 26, 52, 0), fc.constantFrom("", "HEROIN", "XYLAZINE"), fc.constantFrom("", "force:DUR", "DUR-EASINGTON"), fc.constantFrom(5, 6, 7), (window, substance, area, resolution) => {
        const g = { window, substance, area, resolution };
        return JSON.stringify(filtersFromQuery(queryOf(g))) === JSON.stringify(g);
      }),
    );
  });

  it("ignores anything unknown or malformed in a shared link", () => {
    expect(filtersFromQuery("?window=9&resolution=12&substance=<script>&area=%22x%22")).toEqual(DEFAULT_FILTERS);
  });
});

describe("area choices", () => {
  const known = ["CLE-HARTLEPOOL", "CLE-MIDDLESBROUGH", "DUR-DURHAM", "DUR-EASINGTON"];
  it("stand for all areas, one force's areas, or one area", () => {
    expect(areaCodesFor("", known)).toBeUndefined();
    expect(areaCodesFor("force:DUR", known)).toEqual(["DUR-DURHAM", "DUR-EASINGTON"]);
    expect(areaCodesFor("CLE-HARTLEPOOL", known)).toEqual(["CLE-HARTLEPOOL"]);
  });
});

describe("the heat map's colour classes", () => {
  it("are fixed: a count is in the same class whatever else is on the map", () => {
    expect(MAP_CLASSES).toHaveLength(5);
    expect([10, 15, 25, 30, 50, 55, 100, 105, 5000].map(mapClass)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    fc.assert(fc.property(fc.integer({ min: 2, max: 2000 }), fc.integer({ min: 2, max: 2000 }), (a, b) => (a * 5 <= b * 5) === (a <= b) && mapClass(a * 5) <= mapClass(Math.max(a, b) * 5)));
  });
});

describe("months for long periods", () => {
  it("covers the period exactly, month by month", () => {
    const from = new Date("2019-01-01T00:00:00Z");
    const to = new Date("2026-12-02T00:00:00Z");
    const months = monthsBetween(from, to);
    expect(months[0]).toEqual({ month: "2019-01", from, to: new Date("2019-02-01T00:00:00Z") });
    expect(months.at(-1)).toEqual({ month: "2026-12", from: new Date("2026-12-01T00:00:00Z"), to });
    expect(months).toHaveLength(96);
    for (let i = 1; i < months.length; i++) expect(months[i].from).toEqual(months[i - 1].to);
  });
});

describe("the period shown", () => {
  it("is the period asked for until the answer says which it covers", () => {
    const sent = { from: new Date("2026-09-03T00:00:00Z"), to: new Date("2026-12-02T00:00:00Z") };
    expect(coveredPeriod(sent)).toEqual({ from: "2026-09-03", to: "2026-12-01" });
    expect(coveredPeriod(sent, { from: "2026-08-31", to: "2026-12-07" })).toEqual({ from: "2026-08-31", to: "2026-12-06" });
  });
});
