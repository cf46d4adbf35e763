import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { publishedNear } from "../helpers/disclosure";
import { RECORD, validForm } from "../helpers/forms";

// A small fixed fixture recorded through the API, and KPI values worked out by hand from it.

let app: TestApp;
let analyst: string;
const at = (d: number, h = 12, m = 0) => new Date(Date.UTC(2026, 9, d, h, m));
const NO_FIRST_AID = {
  triedToWakeVerbally: false, tiltedHeadBack: false, checkedBreathing: false, recoveryPosition: false,
  chestCompressions: false, rescueBreaths: false, clearedAirways: false, checkedPulse: false,
};
const MINUTES = [5, 6, 7, 8, 9, 10, 11, 12, 13, 30];

/** Incident k of 20, Durham Easington, October 2026. */
function fixture(k: number): Record<string, unknown> {
  const occurredAt = at(1 + k);
  const base = validForm();
  const ambulance = k % 2 === 0;
  return validForm({
    occurredAt: occurredAt.toISOString(),
    outcome: k < 10 ? "CONSCIOUS_AND_RESPONSIVE" : "UNCONSCIOUS", // 10 reversed
    dosesAdministered: k < 12 ? 1 : 2, // 12 + 16 = 28 doses
    firstAid: k < 10 ? { ...base.firstAid, chestCompressions: k < 3 } : NO_FIRST_AID, // 10 with first aid; 3 chest compressions
    ambulanceCalledAt: ambulance ? occurredAt.toISOString() : null,
    ambulanceArrivedAt: ambulance ? new Date(occurredAt.getTime() + MINUTES[k / 2] * 60_000).toISOString() : null,
    seenByParamedics: ambulance, // 10
    resupplyNeeded: k < 10, // 10 requests
    kitsRequired: k < 5 ? 1 : k < 10 ? 3 : null, // 5 + 15 = 20 kits
  });
}

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.token("PH-ENG", Role.ANALYST);
  const dur = await app.token("DUR", Role.OFFICER);
  const cle = await app.token("CLE", Role.OFFICER);
  for (let k = 0; k < 20; k++) {
    const r = await app.gql(RECORD, { input: fixture(k) }, dur);
    expect(r.errors).toBeUndefined();
  }
  // Outside the filter: another force, and the month before.
  for (const [token, input] of [
    [cle, validForm({ areaCode: "CLE-MIDDLESBROUGH", occurredAt: at(10).toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null })],
    [dur, validForm({ occurredAt: new Date(Date.UTC(2026, 8, 20)).toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null })],
  ] as const) expect((await app.gql(RECORD, { input }, token)).errors).toBeUndefined();
});
afterAll(() => app.close());

const KPIS = `query($filter: KpiFilter) { kpis(filter: $filter) {
  administrations { count suppressed } overdosesReversed { count suppressed } reversedShare
  doses { count suppressed } dosesPerAdministration
  withFirstAid { count suppressed } firstAidShare firstAidItems { item count { count suppressed } share }
  ambulanceResponses { count suppressed } ambulanceResponseMedianMinutes ambulanceResponseP90Minutes
  ambulanceOverCategory1Target { count suppressed } ambulanceOverCategory1TargetShare
  seenByParamedics { count suppressed } seenByParamedicsShare
  resupplyRequests { count suppressed } kitsRequired { count suppressed }
  suppression { max roundTo minPercentileValues } period { from to }
} }`;
const shown = (count: number) => ({ count, suppressed: false });
const HIDDEN = { count: null, suppressed: true };
const near = publishedNear;
const OCTOBER = { from: at(1, 0).toISOString(), to: new Date(Date.UTC(2026, 10, 1)).toISOString() };

describe("kpis", () => {
  it("equal the values worked out by hand for the fixture", async () => {
    const r = await app.gql(KPIS, { filter: { ...OCTOBER, agencyCodes: ["DUR"] } }, analyst);
    expect(r.errors).toBeUndefined();
    const k = r.data!.kpis;
    expect(k).toMatchObject({
      administrations: shown(20),
      overdosesReversed: shown(10),
      reversedShare: 0.5,
      doses: near(28),
      dosesPerAdministration: k.doses.count / 20, // from the published figures
      withFirstAid: shown(10),
      firstAidShare: 0.5,
      ambulanceResponses: shown(10),
      // Ten responses: fewer than the 20 a median or percentile needs
      ambulanceResponseMedianMinutes: null,
      ambulanceResponseP90Minutes: null,
      // 7 of 10 over 7 minutes: 7 is small
      ambulanceOverCategory1Target: HIDDEN,
      ambulanceOverCategory1TargetShare: null,
      seenByParamedics: shown(10),
      seenByParamedicsShare: 0.5,
      resupplyRequests: shown(10),
      kitsRequired: shown(20),
      suppression: { max: 7, roundTo: 5, minPercentileValues: 20 },
      // October, on the 4-week grid (a period of 2 to 13 weeks runs from block to block)
      period: { from: "2026-09-28T00:00:00.000Z", to: "2026-11-23T00:00:00.000Z" },
    });
    const items = Object.fromEntries(k.firstAidItems.map((i: { item: string }) => [i.item, i]));
    expect(items.TRIED_TO_WAKE_VERBALLY).toEqual({ item: "TRIED_TO_WAKE_VERBALLY", count: shown(10), share: 0.5 });
    expect(items.CHEST_COMPRESSIONS).toEqual({ item: "CHEST_COMPRESSIONS", count: HIDDEN, share: null }); // 3
    expect(items.RESCUE_BREATHS).toEqual({ item: "RESCUE_BREATHS", count: shown(0), share: 0 });
    expect(k.firstAidItems).toHaveLength(9);
  });

  it("filters by area and period as well as force", async () => {
    const all = (await app.gql(KPIS, { filter: { areaCodes: ["DUR-EASINGTON"], from: "2026-09-01T00:00:00Z", to: "2026-11-01T00:00:00Z" } }, analyst)).data!.kpis;
    expect(all.administrations).toEqual(near(21)); // the 20 of October and the one of 20 September
    const both = (await app.gql(KPIS, { filter: OCTOBER }, analyst)).data!.kpis;
    expect(both.administrations).toEqual(near(21)); // Durham's 20 and Cleveland's 1
  });

  it("withholds every count, share and percentile that rests on a small number", async () => {
    const r = await app.gql(KPIS, { filter: { ...OCTOBER, agencyCodes: ["CLE"] } }, analyst);
    const k = r.data!.kpis;
    expect(k.administrations).toEqual(HIDDEN);
    expect([k.reversedShare, k.dosesPerAdministration, k.firstAidShare, k.seenByParamedicsShare, k.ambulanceResponseMedianMinutes, k.ambulanceResponseP90Minutes]).toEqual([null, null, null, null, null, null]);
    expect(JSON.stringify(k)).not.toMatch(/"count":[1-7]\b/);
    // The week of 5 October: 7 Durham incidents, 4 of them with ambulance times
    const few = (await app.gql(KPIS, { filter: { from: at(5, 0).toISOString(), to: at(12, 0).toISOString(), agencyCodes: ["DUR"] } }, analyst)).data!.kpis;
    expect(few.administrations).toEqual(HIDDEN);
    expect(few.ambulanceResponses).toEqual(HIDDEN);
    expect(few.ambulanceResponseMedianMinutes).toBeNull();
    expect(few.overdosesReversed).toEqual(HIDDEN); // a part of a small population, whatever its count
  });

  it("publishes a median over 20 responses or more, in whole minutes", async () => {
    const dur = await app.token("DUR", Role.OFFICER);
    // 20 more in Durham City, the week of 19 October, with responses of 4..23 minutes and a half
    for (let k = 0; k < 20; k++) {
      const occurredAt = at(19 + (k % 5), 3 + k);
      const input = validForm({ areaCode: "DUR-DURHAM", occurredAt: occurredAt.toISOString(), ambulanceCalledAt: occurredAt.toISOString(), ambulanceArrivedAt: new Date(occurredAt.getTime() + (4 + k) * 60_000 + 30_000).toISOString() });
      expect((await app.gql(RECORD, { input }, dur)).errors).toBeUndefined();
    }
    const k = (await app.gql(KPIS, { filter: { areaCodes: ["DUR-DURHAM"], from: at(19, 0).toISOString(), to: at(26, 0).toISOString() } }, analyst)).data!.kpis;
    const [{ median, p90 }] = await app.ds.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "ambulanceResponseMinutes") AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY "ambulanceResponseMinutes") AS p90 FROM incident WHERE "areaCode" = 'DUR-DURHAM'`,
    );
    expect(k.ambulanceResponseMedianMinutes).toBe(Math.round(median));
    expect(k.ambulanceResponseP90Minutes).toBe(Math.round(p90));
    expect(Number.isInteger(k.ambulanceResponseMedianMinutes)).toBe(true);
  });

  it("refuses a period that ends before it starts, and callers who are not aggregate readers", async () => {
    const bad = await app.gql(KPIS, { filter: { from: OCTOBER.to, to: OCTOBER.from } }, analyst);
    expect(bad.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ field: "filter.to", rule: "must be after from" }] });
    const paramedic = await app.token("NEAS", Role.PARAMEDIC);
    expect((await app.gql(KPIS, {}, paramedic)).errors![0].extensions.code).toBe("FORBIDDEN");
    const lead = await app.token("DUR", Role.FORCE_LEAD);
    expect((await app.gql(KPIS, {}, lead)).errors).toBeUndefined();
  });
});
