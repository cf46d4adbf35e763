import { ageAt, checkAdministration, h3Cells, parseDate, responseMinutes, type FormFacts } from "../../src/modules/incidents/incident.policy";

const now = new Date("2026-06-01T12:00:00Z");
const ctx = { now, clockSkewSeconds: 300, servedAreas: ["DUR-EASINGTON"] };
const base: FormFacts = { occurredAt: new Date("2026-06-01T10:00:00Z"), areaCode: "DUR-EASINGTON", resupplyNeeded: false };
const fields = (f: Partial<FormFacts>) => checkAdministration({ ...base, ...f }, ctx).map((p) => p.field);

describe("standard form cross-field rules", () => {
  it("accepts a minimal valid form", () => expect(fields({})).toEqual([]));
  it("refuses a future incident but allows clock skew", () => {
    expect(fields({ occurredAt: new Date(now.getTime() + 10 * 60_000) })).toEqual(["occurredAt"]);
    expect(fields({ occurredAt: new Date(now.getTime() + 60_000) })).toEqual([]);
  });
  it("refuses dates before police naloxone began", () => expect(fields({ occurredAt: new Date("2018-12-31T00:00:00Z") })).toEqual(["occurredAt"]));
  it("refuses an area the force does not serve", () => expect(fields({ areaCode: "SWP-CARDIFF" })).toEqual(["areaCode"]));
  it("needs kits exactly when resupply is needed", () => {
    expect(fields({ resupplyNeeded: true })).toEqual(["kitsRequired"]);
    expect(fields({ resupplyNeeded: true, kitsRequired: 0 })).toEqual(["kitsRequired"]);
    expect(fields({ resupplyNeeded: false, kitsRequired: 2 })).toEqual(["kitsRequired"]);
    expect(fields({ resupplyNeeded: true, kitsRequired: 2 })).toEqual([]);
  });
  it("orders the ambulance times", () => {
    const called = new Date("2026-06-01T10:05:00Z");
    expect(fields({ ambulanceCalledAt: called, ambulanceArrivedAt: new Date("2026-06-01T10:00:00Z") })).toEqual(["ambulanceArrivedAt"]);
    expect(fields({ ambulanceArrivedAt: called })).toEqual(["ambulanceCalledAt"]);
    expect(fields({ ambulanceCalledAt: called, ambulanceArrivedAt: new Date("2026-06-02T11:00:00Z") })).toEqual(["ambulanceArrivedAt", "ambulanceArrivedAt"]);
    expect(fields({ ambulanceCalledAt: called, ambulanceArrivedAt: new Date("2026-06-01T10:19:00Z") })).toEqual([]);
  });
  it("checks the date of birth", () => {
    expect(fields({ person: { dateOfBirth: "1990-02-30" } })).toEqual(["person.dateOfBirth"]);
    expect(fields({ person: { dateOfBirth: "2027-01-01" } })).toEqual(["person.dateOfBirth"]);
    expect(fields({ person: { dateOfBirth: "1890-01-01" } })).toEqual(["person.dateOfBirth"]);
    expect(fields({ person: { dateOfBirth: "1990-06-02", ageYears: 30 } })).toEqual(["person.ageYears"]);
    expect(fields({ person: { dateOfBirth: "1990-06-02", ageYears: 35 } })).toEqual([]);
  });
});

describe("derived values", () => {
  it("computes response minutes", () => {
    expect(responseMinutes(new Date("2026-01-01T10:00:00Z"), new Date("2026-01-01T10:14:29Z"))).toBe(14);
    expect(responseMinutes(null, new Date())).toBeNull();
  });
  it("computes H3 cells at resolutions 5 to 9, or none without a location", () => {
    const cells = h3Cells({ lat: 54.784, lng: -1.356 });
    expect(Object.keys(cells)).toEqual(["h3r5", "h3r6", "h3r7", "h3r8", "h3r9"]);
    expect(cells.h3r7).toMatch(/^87[0-9a-f]{13}$/);
    expect(h3Cells(null).h3r7).toBeNull();
  });
  it("parses dates strictly and computes age", () => {
    expect(parseDate("2024-02-29")).not.toBeNull();
    expect(parseDate("2023-02-29")).toBeNull();
    expect(ageAt(new Date("1990-06-02T00:00:00Z"), new Date("2026-06-01T00:00:00Z"))).toBe(35);
    expect(ageAt(new Date("1990-06-01T00:00:00Z"), new Date("2026-06-01T00:00:00Z"))).toBe(36);
  });
});
