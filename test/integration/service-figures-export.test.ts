import request from "supertest";
import { Role } from "../../src/core/auth/roles";
import { csvCell, toCsv } from "../../src/modules/export/csv";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// A treatment service's own figures (received, accepted, engaged, time to first contact by month)
// under the small-number rule, and CSV downloads that carry exactly the API's published figures.

let app: TestApp;
let worker: string;
const MONTH = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 2, 10, 9));
const month = MONTH.toISOString().slice(0, 7);
const FIGURES = `query($filter: ServiceFiguresFilter) { serviceFigures(filter: $filter) { agency { code } period { from to }
  months { month received { count suppressed } accepted { count suppressed } engaged { count suppressed } acceptedShare engagedShare medianHoursToFirstContact }
  total { received { count suppressed } accepted { count suppressed } engaged { count suppressed } acceptedShare engagedShare medianHoursToFirstContact } } }`;

/** n referrals to TS-BRISTOL received in MONTH; the first `accepted` accepted, of which the first `engaged` engaged. */
async function referrals(n: number, accepted: number, engaged: number, agency = "ASC", area = "ASC-BRISTOL", inboxToken?: string) {
  const worker_ = inboxToken ?? worker;
  const officer = await app.token(agency, Role.OFFICER, { sub: "pc-fig" });
  for (let k = 0; k < n; k++) {
    const at = new Date(MONTH.getTime() + k * 3600_000);
    app.clock.set(at);
    const inc = await app.gql(RECORD, { input: validForm({ occurredAt: new Date(at.getTime() - 600_000).toISOString(), areaCode: area, location: null, ambulanceCalledAt: null, ambulanceArrivedAt: null, person: { givenName: "Figura", familyName: `Countwell-${"abcdefghijklmnop"[k]}`, dateOfBirth: "1980-01-01" } }) }, officer);
    expect(inc.errors).toBeUndefined();
    await app.gql(`mutation($p: ID!) { recordConsent(personId: $p, input: { decision: GIVEN, purposes: [TREATMENT_REFERRAL], recipientKinds: [TREATMENT_SERVICE], method: VERBAL }) { id } }`, { p: inc.data!.recordNaloxoneAdministration.person.id }, officer);
  }
  const inbox = await app.gql(`{ referrals(sort: CREATED_AT_ASC, first: 100, filter: { status: OPEN }) { edges { node { id } } } }`, {}, worker_);
  const ids = inbox.data!.referrals.edges.map((e: any) => e.node.id);
  for (const [i, id] of ids.slice(0, accepted).entries()) {
    app.clock.set(new Date(MONTH.getTime() + (n + i) * 3600_000));
    await app.gql(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id }, worker_);
    if (i < engaged) await app.gql(`mutation($id: ID!) { recordContactAttempt(id: $id, input: { method: PHONE, outcome: ENGAGED }) { status } }`, { id }, worker_);
  }
  app.clock.reset();
}

beforeAll(async () => {
  app = await createTestApp();
  worker = await app.token("TS-BRISTOL", Role.TREATMENT_WORKER, { sub: "tw-fig" });
  await referrals(12, 12, 9);
  york = await app.token("TS-YORK", Role.TREATMENT_WORKER, { sub: "tw-york" });
  await referrals(10, 10, 10, "NYP", "NYP-YORK", york);
}, 90_000);
let york: string;
afterAll(() => app.close());

describe("serviceFigures", () => {
  it("publishes the service's own month: received, accepted, engaged and time to first contact", async () => {
    const r = await app.gql(FIGURES, {}, worker);
    expect(r.errors).toBeUndefined();
    const f = r.data!.serviceFigures;
    expect(f.agency.code).toBe("TS-BRISTOL");
    expect(f.months).toHaveLength(12); // the current month and the 11 before
    const m = f.months.find((x: any) => x.month === month);
    // 12 received and all accepted: one set of referrals, so one cell key and one figure (10 or 15);
    // 9 engaged, but its complement (3) is small and engagement sensitive: hidden.
    expect([10, 15]).toContain(m.received.count);
    expect(m.accepted).toEqual(m.received);
    expect(m).toMatchObject({ engaged: { count: null, suppressed: true }, acceptedShare: 1, engagedShare: null });
    // 9 contacted: fewer than the 20 values a median needs, so it is withheld.
    expect(m.medianHoursToFirstContact).toBeNull();
    // The total counts the same referrals as that month: the same figure.
    expect(f.total.received).toEqual(m.received);
    for (const x of [...f.months, f.total]) for (const k of ["received", "accepted", "engaged"]) {
      const c = x[k].count;
      expect(c === null || c === 0 || c > 7).toBe(true);
    }
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'AGGREGATE_READ' AND "entityType" = 'ServiceFigures' AND "actorSub" = 'tw-fig'`);
    expect(n).toBe(1);
  });

  it("snaps the period to whole months and shows it", async () => {
    const r = await app.gql(FIGURES, { filter: { from: `${month}-15`, to: `${month}-20` } }, worker);
    expect(r.data!.serviceFigures.period).toEqual({ from: `${month}-01`, to: new Date(Date.UTC(MONTH.getUTCFullYear(), MONTH.getUTCMonth() + 1, 1)).toISOString().slice(0, 10) });
    expect(r.data!.serviceFigures.months.map((x: any) => x.month)).toEqual([month]);
  });

  it("shows each service only its own referrals, and only to its inbox roles", async () => {
    const y = (await app.gql(FIGURES, {}, york)).data!.serviceFigures;
    // All 10 engaged: "everyone engaged" is never stated about a group (engagement is sensitive).
    expect(y.total).toMatchObject({ received: { count: 10, suppressed: false }, accepted: { count: 10, suppressed: false }, engaged: { count: null, suppressed: true }, engagedShare: null });
    // 10 contacts are fewer than the 20 a median needs.
    expect(y.total.medianHoursToFirstContact).toBeNull();
    const norfolk = await app.gql(FIGURES, {}, await app.token("TS-NORFOLK", Role.TREATMENT_WORKER));
    expect(norfolk.data!.serviceFigures.total.received).toEqual({ count: 0, suppressed: false });
    for (const [agency, role] of [["PH-ENG", Role.ANALYST], ["ASC", Role.OFFICER], ["ASC", Role.FORCE_LEAD], ["HUB", Role.ADMIN]] as const) {
      const r = await app.gql(FIGURES, {}, await app.token(agency, role));
      expect(r.errors?.[0].extensions.code).toBe("FORBIDDEN");
    }
  });
});

describe("CSV export", () => {
  const csv = (path: string, token?: string) => {
    const r = request(app.hub.app).get(path);
    return token ? r.set("authorization", `Bearer ${token}`) : r;
  };
  const parse = (text: string) => text.trim().split("\r\n").map((l) => l.split(","));

  it("downloads a service's figures exactly as the API publishes them, and audits it", async () => {
    const res = await csv(`/export/service-figures.csv?from=${month}-01&to=${month}-28`, worker);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe('attachment; filename="service-figures.csv"');
    const [header, row, total] = parse(res.text);
    expect(header.slice(0, 8)).toEqual(["agency", "month", "received", "receivedSuppressed", "accepted", "acceptedSuppressed", "engaged", "engagedSuppressed"]);
    const api = (await app.gql(FIGURES, { filter: { from: `${month}-01`, to: `${month}-28` } }, worker)).data!.serviceFigures.months[0];
    expect(row.slice(0, 9)).toEqual(["TS-BRISTOL", month, String(api.received.count), "false", String(api.accepted.count), "false", "", "true", String(api.acceptedShare)]);
    expect(total[1]).toBe("total");
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'EXPORT_CSV' AND "entityId" = 'service-figures'`);
    expect(n).toBe(1);
  });

  it("exports every aggregate through the same permission map", async () => {
    const analyst = await app.token("PH-ENG", Role.ANALYST);
    for (const name of ["heatmap", "area-counts", "administrations-by-week", "kpis", "alerts", "prison-coverage"]) {
      const res = await csv(`/export/${name}.csv`, analyst);
      expect([name, res.status]).toEqual([name, 200]);
      expect(res.text.split("\r\n")[0]).toMatch(/^[a-zA-Z0-9]+(,[a-zA-Z0-9]+)+$/);
    }
    const kpis = parse((await csv(`/export/kpis.csv?areaCodes=ASC-BRISTOL`, analyst)).text);
    const api = (await app.gql(`{ kpis(filter: { areaCodes: ["ASC-BRISTOL"] }) { administrations { count suppressed } interAgency { referralsMade { count suppressed } } } }`, {}, analyst)).data!.kpis;
    expect(kpis.find((r) => r[0] === "administrations")).toEqual(["administrations", String(api.administrations.count ?? ""), String(api.administrations.suppressed), ""]);
    expect(kpis.find((r) => r[0] === "interAgency.referralsMade")).toEqual(["interAgency.referralsMade", String(api.interAgency.referralsMade.count ?? ""), String(api.interAgency.referralsMade.suppressed), ""]);
    // An analyst is not an inbox role; an officer is not an aggregate reader.
    expect((await csv(`/export/service-figures.csv`, analyst)).status).toBe(403);
    expect((await csv(`/export/kpis.csv`, await app.token("ASC", Role.OFFICER))).status).toBe(403);
  });

  it("answers 401 without a token, 400 for an unknown parameter, 404 for an unknown export", async () => {
    const none = await csv(`/export/kpis.csv`);
    expect(none.status).toBe(401);
    expect(none.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const bad = await csv(`/export/kpis.csv?personId=x`, worker);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions.problems[0].field).toBe("personId");
    expect((await csv(`/export/people.csv`, worker)).status).toBe(404);
  });

  it("writes safe CSV: quoting, and no cell a spreadsheet would run as a formula", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(toCsv(["x", "y"], [[1, true]])).toBe("x,y\r\n1,true\r\n");
  });
});
