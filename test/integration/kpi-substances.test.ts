import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";
import { weekStartOf } from "../../src/modules/aggregates/period.policy";

// Aggregates cover whole weeks that have ended: the incidents happened last week, asked as that week.
const thisWeek = weekStartOf(new Date());
const lastWeek = new Date(thisWeek.getTime() - 7 * 86_400_000);
const week = { from: lastWeek.toISOString(), to: thisWeek.toISOString() };

// The KPIs take the substance filter every other aggregate takes, so a dashboard's tiles agree with
// its map: xylazine-only figures count xylazine administrations, police and inter-agency alike.

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  const officer = await app.token("NFK", Role.OFFICER, { sub: "pc-sub" });
  for (let k = 0; k < 20; k++) {
    const r = await app.gql(RECORD, { input: validForm({ occurredAt: new Date(lastWeek.getTime() + 86_400_000 + k * 60_000).toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null, areaCode: "NFK-NORWICH", location: { lat: 52.63, lng: 1.29 }, substances: k < 10 ? ["XYLAZINE", "HEROIN"] : ["HEROIN"], person: null }) }, officer);
    expect(r.errors).toBeUndefined();
  }
});
afterAll(() => app.close());

const KPIS = `query($f: KpiFilter) { kpis(filter: $f) { administrations { count suppressed } interAgency { incidents { count suppressed } } } }`;

it("filters the KPIs by substance", async () => {
  const analyst = await app.token("PH-ENG", Role.ANALYST);
  const all = await app.gql(KPIS, { f: { ...week, areaCodes: ["NFK-NORWICH"] } }, analyst);
  expect(all.data!.kpis.administrations).toEqual({ count: 20, suppressed: false });
  const xylazine = await app.gql(KPIS, { f: { ...week, areaCodes: ["NFK-NORWICH"], substances: ["XYLAZINE"] } }, analyst);
  expect(xylazine.errors).toBeUndefined();
  expect(xylazine.data!.kpis.administrations).toEqual({ count: 10, suppressed: false });
  expect(xylazine.data!.kpis.interAgency.incidents).toEqual({ count: 10, suppressed: false });
  const cocaine = await app.gql(KPIS, { f: { ...week, areaCodes: ["NFK-NORWICH"], substances: ["COCAINE"] } }, analyst);
  expect(cocaine.data!.kpis.administrations).toEqual({ count: 0, suppressed: false });
});
