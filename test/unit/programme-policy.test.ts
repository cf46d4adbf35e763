import fc from "fast-check";
import { StockLocationKind, StockMovementKind } from "../../src/modules/kits/kit.enums";
import { checkMovement, draw, kitsUsedFor, reconcile, requestsMet } from "../../src/modules/kits/kit.policy";
import { checkFunding } from "../../src/modules/funding/funding.policy";
import { TrainingKind } from "../../src/modules/officers/officer.enums";
import { addMonths, checkTraining, refresherDue, refresherInDate } from "../../src/modules/officers/officer.policy";
import { publishedRate } from "../../src/modules/programme/disclosure";

const now = new Date("2026-12-01T12:00:00Z");
const store = { kind: StockLocationKind.STORE, reference: "MAIN" };
const fields = (ps: Array<{ field: string }>) => ps.map((p) => p.field);

describe("kit policy", () => {
  it("counts a kit as used once any of its two doses is given", () => {
    expect([1, 2, 3, 4, 5].map(kitsUsedFor)).toEqual([1, 1, 2, 2, 3]);
  });

  it("names the field of each broken movement rule", () => {
    const base = { kind: StockMovementKind.PROCURED, kits: 5, batch: "B1", expiresOn: "2028-01-01", location: store, at: now };
    expect(checkMovement(base, now, 300)).toEqual([]);
    expect(fields(checkMovement({ ...base, kits: 0 }, now, 300))).toEqual(["kits"]);
    expect(fields(checkMovement({ ...base, kits: -3 }, now, 300))).toEqual(["kits"]);
    expect(fields(checkMovement({ ...base, expiresOn: "2026-11-30" }, now, 300))).toEqual(["expiresOn"]);
    expect(fields(checkMovement({ ...base, at: new Date(now.getTime() + 3600_000) }, now, 300))).toEqual(["at"]);
    expect(fields(checkMovement({ ...base, kind: StockMovementKind.ISSUED, batch: null, expiresOn: null, location: store }, now, 300))).toEqual(["location"]);
    expect(fields(checkMovement({ ...base, kind: StockMovementKind.USED, from: store }, now, 300))).toEqual(["expiresOn", "from"]);
  });

  it("draws first expiry first, never more than is held", () => {
    const positions = [
      { batchId: "b", batch: "LATE", expiresOn: "2028-01-01", kits: 5 },
      { batchId: "a", batch: "SOON", expiresOn: "2027-01-01", kits: 2 },
    ];
    expect(draw(positions, 3)).toEqual([{ batchId: "a", kits: 2 }, { batchId: "b", kits: 1 }]);
    expect(draw(positions, 3, "LATE")).toEqual([{ batchId: "b", kits: 3 }]);
    expect(draw(positions, 8)).toBeNull();
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 6 }), fc.nat(60), (held, want) => {
        const ps = held.map((k, i) => ({ batchId: String(i), batch: `B${i}`, expiresOn: `2027-0${(i % 9) + 1}-01`, kits: k }));
        const total = held.reduce((s, k) => s + k, 0);
        const d = draw(ps, want);
        if (want > total) return d === null;
        return d !== null && d.reduce((s, t) => s + t.kits, 0) === want && d.every((t) => t.kits <= ps[Number(t.batchId)].kits);
      }),
    );
  });

  it("closes resupply requests oldest first while each is wholly met", () => {
    const open = [{ id: "1", kitsRequested: 1 }, { id: "2", kitsRequested: 2 }, { id: "3", kitsRequested: 1 }];
    expect(requestsMet(open, 1)).toEqual(["1"]);
    expect(requestsMet(open, 2)).toEqual(["1"]);
    expect(requestsMet(open, 4)).toEqual(["1", "2", "3"]);
  });

  it("lists a count that disagrees with issued - used - expired - lost - returned, and use without issue", () => {
    const van = { kind: StockLocationKind.VEHICLE, reference: "V1" };
    const r = reconcile([{ location: van, issued: 6, used: 1, expired: 1, lost: 0, returned: 1, count: { kits: 2, at: now, expectedAtCount: 3 } }], [{ location: { kind: StockLocationKind.OFFICER, reference: "7" }, kits: 2 }]);
    expect(r.holders[0].expectedOnHand).toBe(3);
    expect(r.discrepancies.map((d) => [d.kind, d.difference])).toEqual([["USED_NOT_ISSUED", -2], ["COUNT_MISMATCH", -1]]);
    expect(reconcile([{ location: van, issued: 3, used: 0, expired: 0, lost: 0, returned: 0, count: { kits: 3, at: now, expectedAtCount: 3 } }], []).discrepancies).toEqual([]);
  });
});

describe("training policy", () => {
  it("puts the refresher 12 months after the latest training, clamping month ends", () => {
    expect(refresherDue("2025-03-15", 12)).toBe("2026-03-15");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(refresherDue(null, 12)).toBeNull();
    expect(refresherInDate("2026-12-01", "2026-12-01")).toBe(true);
    expect(refresherInDate("2026-11-30", "2026-12-01")).toBe(false);
  });

  it("refuses a refresher before, on the day of, or without an initial training", () => {
    const t = { kind: TrainingKind.REFRESHER, trainedOn: "2026-05-01", modules: [] };
    expect(fields(checkTraining(t, "2026-12-01", null))).toEqual(["kind"]);
    expect(fields(checkTraining(t, "2026-12-01", "2026-06-01"))).toEqual(["trainedOn"]);
    expect(fields(checkTraining(t, "2026-12-01", "2026-05-01"))).toEqual(["trainedOn"]);
    expect(checkTraining(t, "2026-12-01", "2025-05-01")).toEqual([]);
    expect(fields(checkTraining({ ...t, kind: TrainingKind.INITIAL, trainedOn: "2027-01-01" }, "2026-12-01", null))).toEqual(["trainedOn"]);
    expect(fields(checkTraining({ ...t, kind: TrainingKind.INITIAL, confidenceAfter: 11 }, "2026-12-01", null))).toEqual(["confidenceAfter"]);
  });
});

describe("funding policy", () => {
  it("refuses a period that ends before it starts and negative amounts; allows open-ended periods", () => {
    const f = { available: 10, allocated: 5, spent: 0, periodStart: "2025-04-01", periodEnd: "2027-03-31" };
    expect(checkFunding(f)).toEqual([]);
    expect(checkFunding({ ...f, periodEnd: null })).toEqual([]);
    expect(checkFunding({ ...f, periodEnd: "2025-04-01" })).toEqual([]);
    expect(fields(checkFunding({ ...f, periodEnd: "2025-03-31" }))).toEqual(["periodEnd"]);
    expect(fields(checkFunding({ ...f, spent: -0.01 }))).toEqual(["spent"]);
  });
});

describe("programme disclosure adapter", () => {
  it("gives a rate only from published figures", () => {
    expect(publishedRate({ count: 20, suppressed: false }, { count: 60, suppressed: false }, 100, 1)).toBe(33.3);
    expect(publishedRate({ count: null, suppressed: true }, { count: 60, suppressed: false }, 100)).toBeNull();
    expect(publishedRate({ count: 10, suppressed: false }, { count: 0, suppressed: false }, 100)).toBeNull();
  });
});
