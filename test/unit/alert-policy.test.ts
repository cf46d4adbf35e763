import { AgencyKind } from "../../src/core/auth/roles";
import { alertReaches, episodeAction, evaluateWindow, poissonUpperTail, significanceBand, toHour } from "../../src/modules/aggregates/alert.policy";

describe("poissonUpperTail", () => {
  it("matches hand-computed tails", () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    // 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24)
    expect(poissonUpperTail(5, 1)).toBeCloseTo(1 - Math.exp(-1) * (1 + 1 + 0.5 + 1 / 6 + 1 / 24), 12);
    expect(poissonUpperTail(100, 100)).toBeCloseTo(0.5133, 3);
    expect(poissonUpperTail(3, 0)).toBe(0);
    expect(poissonUpperTail(60, 2)).toBeGreaterThan(0);
    expect(poissonUpperTail(60, 2)).toBeLessThan(1e-40);
  });
});

describe("evaluateWindow", () => {
  const settings = { minCount: 5, pValue: 0.01 };
  it("raises on an improbable count at or above the minimum", () => {
    const v = evaluateWindow({ count: 10, baselineCount: 56, windowHours: 24 }, settings);
    expect(v.expected).toBeCloseTo((56.5 * 24) / 672, 10);
    expect(v.pValue).toBeLessThan(0.001);
    expect(v.spike).toBe(true);
  });
  it("does not raise on an ordinary count, nor below the minimum however improbable", () => {
    expect(evaluateWindow({ count: 3, baselineCount: 56, windowHours: 24 }, settings).spike).toBe(false);
    expect(evaluateWindow({ count: 4, baselineCount: 0, windowHours: 24 }, settings)).toMatchObject({ spike: false });
    expect(evaluateWindow({ count: 4, baselineCount: 0, windowHours: 24 }, { minCount: 4, pValue: 0.01 }).spike).toBe(true);
  });
});

describe("episodes", () => {
  it("opens once, updates while the spike holds, closes when it stops", () => {
    expect(episodeAction(false, true)).toBe("OPEN");
    expect(episodeAction(true, true)).toBe("UPDATE");
    expect(episodeAction(true, false)).toBe("CLOSE");
    expect(episodeAction(false, false)).toBe("NONE");
  });
});

describe("significanceBand", () => {
  it.each([
    [0.003, "SIGNIFICANT", 0.01],
    [0.0009, "HIGHLY_SIGNIFICANT", 0.001],
    [2e-12, "EXTREMELY_SIGNIFICANT", 0.0001],
    // From published figures a p-value can exceed the threshold: still the lowest band (the alert exists)
    [0.5, "SIGNIFICANT", 0.01],
    // A hidden count: no p-value from published figures, so only the band the alert's existence says
    [null, "SIGNIFICANT", 0.01],
  ])("publishes p = %p as %s with the bound %p", (p, significance, pValue) => expect(significanceBand(p, 0.01)).toEqual({ significance, pValue }));
});

describe("toHour", () => {
  it("publishes alert times to the start of their hour", () => {
    expect(toHour(new Date("2026-10-19T17:59:59.999Z")).toISOString()).toBe("2026-10-19T17:00:00.000Z");
    expect(toHour(new Date("2026-10-19T17:00:00.000Z")).toISOString()).toBe("2026-10-19T17:00:00.000Z");
  });
});

describe("alertReaches", () => {
  const agency = (kind: AgencyKind, areaCodes: string[]) => ({ agency: { id: "x", code: "X", kind, areaCodes } });
  it("reaches agencies serving the area, narrowed by the areas asked for", () => {
    const dur = agency(AgencyKind.POLICE_FORCE, ["DUR-EASINGTON", "DUR-DURHAM"]);
    expect(alertReaches(dur, "DUR-EASINGTON", null)).toBe(true);
    expect(alertReaches(dur, "CLE-REDCAR", null)).toBe(false);
    expect(alertReaches(dur, "DUR-EASINGTON", ["DUR-DURHAM"])).toBe(false);
    expect(alertReaches(dur, "CLE-REDCAR", ["CLE-REDCAR"])).toBe(false);
    expect(alertReaches(agency(AgencyKind.HUB_OPERATOR, []), "CLE-REDCAR", null)).toBe(true);
    expect(alertReaches(null, "DUR-EASINGTON", null)).toBe(false);
  });
});
