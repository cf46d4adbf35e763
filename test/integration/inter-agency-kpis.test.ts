import { Role } from "../../src/core/auth/roles";
import { interAgencyFigures } from "../../src/modules/referrals/referral.kpis";
import { createTestApp, type TestApp } from "../helpers/app";
import { publishedNear } from "../helpers/disclosure";
import { RECORD, validForm } from "../helpers/forms";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe("inter-agency figures", () => {
  it("count referrals made, accepted and engaged, time to first contact, reviews on time and consent given", async () => {
    const officer = await app.token("CLE", Role.OFFICER);
    const tw = await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER);
    const consent = { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-TEESSIDE"], method: "VERBAL" };
    const ids: string[] = [];
    for (let k = 0; k < 4; k++) {
      const r = await app.gql(RECORD, { input: validForm({ areaCode: "CLE-STOCKTON", person: null, ...(k < 3 ? { consent } : {}) }) }, officer);
      ids.push(r.data!.recordNaloxoneAdministration.id);
    }
    const refs = await app.ds.query(`SELECT id FROM referral WHERE "incidentId" = ANY($1) ORDER BY "createdAt"`, [ids]);
    expect(refs).toHaveLength(3);
    const run = (q: string, id: string, vars: Record<string, unknown> = {}) => app.gql(q, { id, ...vars }, tw);
    for (const { id } of refs.slice(0, 2)) await run(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, id);
    // Contact two hours after the referral was created, then engagement, for the first one only.
    const [{ createdAt }] = await app.ds.query(`SELECT "createdAt" FROM referral WHERE id = $1`, [refs[0].id]);
    const contactAt = new Date(new Date(createdAt).getTime() + 2 * 3600_000);
    app.clock.set(new Date(contactAt.getTime() + 60_000));
    try {
      await run(`mutation($id: ID!, $i: ContactAttemptInput!) { recordContactAttempt(id: $id, input: $i) { status } }`, refs[0].id, { i: { method: "PHONE", outcome: "ENGAGED", at: contactAt.toISOString() } });
    } finally {
      app.clock.reset();
    }
    const f = await interAgencyFigures(app.ds, { agencyCodes: ["CLE"] }, new Date());
    expect(Object.keys(f.keys).sort()).toEqual(["incidents", "incidentsWithConsent", "referralsAccepted", "referralsEngaged", "referralsMade", "reviewsCompletedWithin72h", "reviewsDue"]);
    expect(f).toMatchObject({
      incidents: 4,
      incidentsWithConsent: 3,
      referralsMade: 3,
      referralsAccepted: 2,
      referralsEngaged: 1,
      referralsContacted: 1,
      medianHoursToFirstContact: 2,
      reviewsDue: 0,
      reviewsCompletedWithin72h: 0,
    });
    expect((await interAgencyFigures(app.ds, { agencyCodes: ["DUR"] }, new Date())).incidents).toBe(0);
  });

  it("count reviews completed within their deadline among those due", async () => {
    const swp = await app.token("SWP", Role.OFFICER);
    const hrl = await app.token("HRT-SW", Role.HARM_REDUCTION_LEAD);
    const old = await app.gql(RECORD, { input: validForm({ areaCode: "SWP-SWANSEA", person: null, occurredAt: new Date(Date.now() - 80 * 3600_000).toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null }) }, swp);
    const fresh = await app.gql(RECORD, { input: validForm({ areaCode: "SWP-SWANSEA", person: null }) }, swp);
    const fresh2 = await app.gql(RECORD, { input: validForm({ areaCode: "SWP-SWANSEA", person: null }) }, swp);
    const reviewOf = async (r: any) => (await app.ds.query(`SELECT id FROM review WHERE "incidentId" = $1`, [r.data.recordNaloxoneAdministration.id]))[0].id;
    for (const r of [old, fresh]) {
      await app.gql(`mutation($id: ID!) { completeReview(id: $id, input: { actions: ["Reviewed"] }) { status } }`, { id: await reviewOf(r) }, hrl);
    }
    void fresh2;
    const f = await interAgencyFigures(app.ds, { agencyCodes: ["SWP"] }, new Date());
    // Due: the late one (completed after its deadline) and the completed fresh one; the open fresh one is not due yet.
    expect(f.reviewsDue).toBe(2);
    expect(f.reviewsCompletedWithin72h).toBe(1);
  });
});

describe("kpis { interAgency }", () => {
  it("publishes the inter-agency figures under the small-number rule", async () => {
    const officer = await app.token("ASC", Role.OFFICER);
    const consent = { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-BRISTOL"], method: "VERBAL" };
    for (let k = 0; k < 12; k++) {
      await app.gql(RECORD, { input: validForm({ areaCode: "ASC-BRISTOL", person: null, ...(k < 10 ? { consent } : {}) }) }, officer);
    }
    const tw = await app.token("TS-BRISTOL", Role.TREATMENT_WORKER);
    const [first] = await app.ds.query(`SELECT r.id FROM referral r JOIN agency a ON a.id = r."toAgencyId" WHERE a.code = 'TS-BRISTOL' LIMIT 1`);
    await app.gql(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id: first.id }, tw);

    const Q = `{ kpis(filter: { agencyCodes: ["ASC"] }) { administrations { count } interAgency {
      incidents { count suppressed } incidentsWithConsent { count suppressed } consentGivenShare
      referralsMade { count suppressed } referralsAccepted { count suppressed } referralsAcceptedShare
      referralsEngaged { count suppressed } medianHoursToFirstContact reviewsDue { count suppressed } } } }`;
    // Aggregates cover whole weeks that have ended, and a period without bounds is the last 52 weeks
    // on the 13-week grid: ask 14 weeks on.
    app.clock.set(new Date(Date.now() + 98 * 24 * 3600_000));
    let r;
    try {
      r = await app.gql(Q, {}, await app.token("PH-ENG", Role.ANALYST));
    } finally {
      app.clock.reset();
    }
    expect(r.errors).toBeUndefined();
    expect(r.data!.kpis.interAgency).toEqual({
      incidents: publishedNear(12),
      // Consent is sensitive: 10 of 12 would say the other 2 did not consent, so it is hidden.
      incidentsWithConsent: { count: null, suppressed: true },
      consentGivenShare: null,
      referralsMade: { count: 10, suppressed: false },
      // One accepted: hidden.
      referralsAccepted: { count: null, suppressed: true },
      referralsAcceptedShare: null,
      // None engaged: engagement is sensitive, so "none of the 10" is not stated either.
      referralsEngaged: { count: null, suppressed: true },
      medianHoursToFirstContact: null,
      reviewsDue: { count: 0, suppressed: false },
    });
  });
});
