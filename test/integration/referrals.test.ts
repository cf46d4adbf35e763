import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { HANDOVER, RECORD, validForm } from "../helpers/forms";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());
afterEach(() => app.clock.reset());

let n = 0;
const uniqueName = () => {
  n++;
  return `Refer${"abcdefghij"[n % 10]}${"abcdefghij"[Math.floor(n / 10) % 10]}`;
};
const tokenFor = (agency: string, role: Role, sub?: string) => app.token(agency, role, { sub });

async function record(agency: string, area: string, extra: Record<string, unknown> = {}) {
  const givenName = uniqueName();
  const r = await app.gql(RECORD, { input: validForm({ areaCode: area, person: { givenName, familyName: "Pathwaytest", dateOfBirth: "1984-04-04" }, ...extra }) }, await tokenFor(agency, Role.OFFICER));
  expect(r.errors).toBeUndefined();
  const inc = r.data!.recordNaloxoneAdministration;
  return { incidentId: inc.id as string, personId: inc.person.id as string, occurredAt: new Date(inc.occurredAt), givenName };
}
async function handover(agency: string, incidentId: string, occurredAt: Date, key = `ho-${incidentId}`) {
  const r = await app.gql(HANDOVER, { input: { incidentId, idempotencyKey: key, handedOverAt: new Date(occurredAt.getTime() + 15 * 60_000).toISOString() } }, await tokenFor(agency, Role.PARAMEDIC));
  expect(r.errors).toBeUndefined();
}
async function consent(personId: string, input: Record<string, unknown>, byAgency = "LAN") {
  const r = await app.gql(`mutation($p: ID!, $i: ConsentInput!) { recordConsent(personId: $p, input: $i) { id } }`, { p: personId, i: { method: "VERBAL", decision: "GIVEN", ...input } }, await tokenFor(byAgency, Role.OFFICER));
  expect(r.errors).toBeUndefined();
  return r.data!.recordConsent.id as string;
}
const referralsOf = (incidentId: string) =>
  app.ds.query(`SELECT r.pathway, a.code AS "to", r.status, r."consentId", r."grantId" FROM referral r JOIN agency a ON a.id = r."toAgencyId" WHERE r."incidentId" = $1 ORDER BY r."createdAt"`, [incidentId]);

const INBOX = `query($f: ReferralFilter) { referrals(filter: $f, first: 50) { edges { node {
  id pathway status overdue dueAt createdAt fromAgency { code } toAgency { code }
  incident { id areaCode } person { id givenName familyName } events { type fromStatus toStatus actorSub note }
} } } }`;

describe("NFO co-ordinator pathway (Blackpool): police naloxone + consent + handover, in any order, exactly once", () => {
  const toNfo = { purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["NWAS"] };

  it("incident with on-scene consent, then handover", async () => {
    const i = await record("LAN", "LAN-BLACKPOOL", { consent: { ...toNfo, decision: "GIVEN", method: "VERBAL" } });
    expect(await referralsOf(i.incidentId)).toEqual([]);
    await handover("NWAS", i.incidentId, i.occurredAt);
    expect(await referralsOf(i.incidentId)).toEqual([expect.objectContaining({ pathway: "NFO_COORDINATOR", to: "NWAS", status: "OPEN" })]);
  });

  it("incident, handover, then consent", async () => {
    const i = await record("LAN", "LAN-BLACKPOOL");
    await handover("NWAS", i.incidentId, i.occurredAt);
    expect(await referralsOf(i.incidentId)).toEqual([]);
    const c = await consent(i.personId, toNfo);
    expect(await referralsOf(i.incidentId)).toEqual([expect.objectContaining({ pathway: "NFO_COORDINATOR", to: "NWAS", consentId: c })]);
  });

  it("incident, consent, then handover; repeats change nothing", async () => {
    const i = await record("LAN", "LAN-BLACKPOOL");
    await consent(i.personId, toNfo);
    await handover("NWAS", i.incidentId, i.occurredAt);
    await handover("NWAS", i.incidentId, i.occurredAt, `second-${i.incidentId}`);
    await consent(i.personId, toNfo);
    expect(await referralsOf(i.incidentId)).toHaveLength(1);
  });

  it("consent and handover arriving at the same moment (10 times over)", async () => {
    for (let k = 0; k < 10; k++) {
      const i = await record("LAN", "LAN-BLACKPOOL");
      await Promise.all([consent(i.personId, toNfo), handover("NWAS", i.incidentId, i.occurredAt)]);
      expect(await referralsOf(i.incidentId)).toHaveLength(1);
    }
  });

  it("without consent there is no referral", async () => {
    const i = await record("LAN", "LAN-BLACKPOOL");
    await handover("NWAS", i.incidentId, i.occurredAt);
    expect(await referralsOf(i.incidentId)).toEqual([]);
  });

  it("the NFO co-ordinator forwards to the drug service only when consent covers it", async () => {
    const i = await record("LAN", "LAN-BLACKPOOL", { consent: { ...toNfo, decision: "GIVEN", method: "VERBAL" } });
    await handover("NWAS", i.incidentId, i.occurredAt);
    const nfo = await tokenFor("NWAS", Role.NFO_COORDINATOR, "nfo-1");
    const inbox = await app.gql(INBOX, { f: { pathway: "NFO_COORDINATOR", status: "OPEN" } }, nfo);
    const mine = inbox.data!.referrals.edges.map((e: any) => e.node).find((r: any) => r.incident.id === i.incidentId);
    expect(mine.person.givenName).toBe(i.givenName);
    expect((await app.gql(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, { id: mine.id }, nfo)).data!.acceptReferral.status).toBe("ACCEPTED");

    const FORWARD = `mutation($id: ID!) { forwardReferral(id: $id, toAgencyCode: "TS-BLACKPOOL") { status outcome } }`;
    const refused = await app.gql(FORWARD, { id: mine.id }, nfo);
    expect(refused.errors![0].extensions.code).toBe("CONSENT_REQUIRED");
    expect(await referralsOf(i.incidentId)).toHaveLength(1);

    await consent(i.personId, { purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-BLACKPOOL"] }, "LAN");
    const fwd = await app.gql(FORWARD, { id: mine.id }, nfo);
    expect(fwd.data!.forwardReferral).toEqual({ status: "CLOSED", outcome: "FORWARDED" });
    const ts = await app.gql(INBOX, { f: { status: "OPEN" } }, await tokenFor("TS-BLACKPOOL", Role.TREATMENT_WORKER));
    const received = ts.data!.referrals.edges.map((e: any) => e.node).find((r: any) => r.incident.id === i.incidentId);
    expect(received).toMatchObject({ fromAgency: { code: "NWAS" }, toAgency: { code: "TS-BLACKPOOL" }, person: { givenName: i.givenName } });
  });
});

describe("MASH safeguarding pathway (Durham)", () => {
  it("consent to safeguarding covering the MASH creates a referral; the MASH closes it with no further action", async () => {
    const i = await record("DUR", "DUR-DURHAM", { consent: { purposes: ["SAFEGUARDING"], recipientKinds: ["MASH"], decision: "GIVEN", method: "VERBAL" } });
    expect(await referralsOf(i.incidentId)).toEqual([expect.objectContaining({ pathway: "MASH_SAFEGUARDING", to: "MASH-DUR" })]);
    const mash = await tokenFor("MASH-DUR", Role.MASH_REVIEWER);
    const inbox = await app.gql(INBOX, { f: { pathway: "MASH_SAFEGUARDING" } }, mash);
    const r = inbox.data!.referrals.edges.map((e: any) => e.node).find((x: any) => x.incident.id === i.incidentId);
    expect(r.person.givenName).toBe(i.givenName);
    const closed = await app.gql(`mutation($id: ID!) { closeReferral(id: $id, outcome: NO_FURTHER_ACTION) { status outcome closedAt } }`, { id: r.id }, mash);
    expect(closed.data!.closeReferral).toMatchObject({ status: "CLOSED", outcome: "NO_FURTHER_ACTION" });
  });

  it("an emergency grant on a safeguarding basis is a lawful basis for the route", async () => {
    const i = await record("DUR", "DUR-DURHAM");
    expect(await referralsOf(i.incidentId)).toEqual([]);
    const g = await app.gql(
      `mutation($p: ID!) { requestEmergencyAccess(personId: $p, basis: SAFEGUARDING, justification: "Young children in the flat, reported by the attending crew") { id } }`,
      { p: i.personId },
      await tokenFor("NEAS", Role.PARAMEDIC),
    );
    expect(await referralsOf(i.incidentId)).toEqual([expect.objectContaining({ pathway: "MASH_SAFEGUARDING", to: "MASH-DUR", grantId: g.data!.requestEmergencyAccess.id })]);
  });

  it("a vital-interests grant does not route to the MASH", async () => {
    const i = await record("DUR", "DUR-DURHAM");
    await app.gql(`mutation($p: ID!) { requestEmergencyAccess(personId: $p, basis: VITAL_INTERESTS, justification: "Unconscious again, need medical history now") { id } }`, { p: i.personId }, await tokenFor("NEAS", Role.PARAMEDIC));
    expect(await referralsOf(i.incidentId)).toEqual([]);
  });
});

describe("direct treatment pathway and the referral state machine", () => {
  it("consent to the area's treatment service refers the person; the service works the referral to engagement", async () => {
    const i = await record("CLE", "CLE-STOCKTON", { consent: { purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], decision: "GIVEN", method: "WRITTEN" } });
    expect(await referralsOf(i.incidentId)).toEqual([expect.objectContaining({ pathway: "DIRECT_TREATMENT", to: "TS-TEESSIDE" })]);
    const tw = await tokenFor("TS-TEESSIDE", Role.TREATMENT_WORKER, "tw-teesside");
    const inbox = await app.gql(INBOX, {}, tw);
    const r = inbox.data!.referrals.edges.map((e: any) => e.node).find((x: any) => x.incident.id === i.incidentId);
    expect(r).toMatchObject({ status: "OPEN", overdue: false, fromAgency: { code: "CLE" }, person: { givenName: i.givenName, familyName: "Pathwaytest" } });
    expect(new Date(r.dueAt).getTime() - new Date(r.createdAt).getTime()).toBe(72 * 3600_000);

    const step = (q: string, vars: Record<string, unknown> = {}) => app.gql(q, { id: r.id, ...vars }, tw);
    const CONTACT = `mutation($id: ID!, $i: ContactAttemptInput!) { recordContactAttempt(id: $id, input: $i) { status firstContactAt } }`;
    expect((await step(CONTACT, { i: { method: "PHONE", outcome: "NO_ANSWER" } })).errors![0].extensions.code).toBe("INVALID_TRANSITION");
    expect((await step(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`)).data!.acceptReferral.status).toBe("ACCEPTED");
    const attempt = await step(CONTACT, { i: { method: "PHONE", outcome: "NO_ANSWER" } });
    expect(attempt.data!.recordContactAttempt.status).toBe("CONTACT_ATTEMPTED");
    expect(attempt.data!.recordContactAttempt.firstContactAt).not.toBeNull();
    expect((await step(CONTACT, { i: { method: "HOME_VISIT", outcome: "ENGAGED", note: "Booked an assessment" } })).data!.recordContactAttempt.status).toBe("ENGAGED");
    expect((await step(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`)).errors![0].extensions.code).toBe("INVALID_TRANSITION");
    expect((await step(`mutation($id: ID!) { closeReferral(id: $id, outcome: ENGAGED_IN_TREATMENT) { status outcome } }`)).data!.closeReferral).toEqual({ status: "CLOSED", outcome: "ENGAGED_IN_TREATMENT" });

    const after = await app.gql(`query($id: ID!) { referral(id: $id) { status events { type fromStatus toStatus actorSub } } }`, { id: r.id }, tw);
    expect(after.data!.referral.events.map((e: any) => [e.type, e.fromStatus, e.toStatus])).toEqual([
      ["CREATED", null, "OPEN"],
      ["ACCEPTED", "OPEN", "ACCEPTED"],
      ["CONTACT_ATTEMPTED", "ACCEPTED", "CONTACT_ATTEMPTED"],
      ["ENGAGED", "CONTACT_ATTEMPTED", "ENGAGED"],
      ["CLOSED", "ENGAGED", "CLOSED"],
    ]);
    expect(after.data!.referral.events.slice(1).every((e: any) => e.actorSub === "tw-teesside")).toBe(true);
  });

  it("a declined referral needs a reason and then stays declined", async () => {
    const i = await record("CLE", "CLE-STOCKTON", { consent: { purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-TEESSIDE"], decision: "GIVEN", method: "VERBAL" } });
    const [{ id }] = await app.ds.query(`SELECT id FROM referral WHERE "incidentId" = $1`, [i.incidentId]);
    const tw = await tokenFor("TS-TEESSIDE", Role.TREATMENT_WORKER);
    expect((await app.gql(`mutation($id: ID!) { declineReferral(id: $id, reason: "") { status } }`, { id }, tw)).errors![0].extensions.code).toBe("BAD_USER_INPUT");
    expect((await app.gql(`mutation($id: ID!) { declineReferral(id: $id, reason: "Lives outside our catchment") { status } }`, { id }, tw)).data!.declineReferral.status).toBe("DECLINED");
    expect((await app.gql(`mutation($id: ID!) { closeReferral(id: $id, outcome: OTHER) { status } }`, { id }, tw)).errors![0].extensions.code).toBe("INVALID_TRANSITION");
  });

  it("withdrawing the consent withdraws the open referral at once", async () => {
    const i = await record("CLE", "CLE-STOCKTON");
    const c = await consent(i.personId, { purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-TEESSIDE"] }, "CLE");
    expect(await referralsOf(i.incidentId)).toEqual([expect.objectContaining({ status: "OPEN", consentId: c })]);
    await app.gql(`mutation($id: ID!) { withdrawConsent(consentId: $id) { status } }`, { id: c }, await tokenFor("TS-TEESSIDE", Role.TREATMENT_WORKER));
    expect(await referralsOf(i.incidentId)).toEqual([expect.objectContaining({ status: "WITHDRAWN" })]);
    const [ev] = await app.ds.query(`SELECT type, note FROM referral_event e JOIN referral r ON r.id = e."referralId" WHERE r."incidentId" = $1 AND type = 'WITHDRAWN'`, [i.incidentId]);
    expect(ev).toEqual({ type: "WITHDRAWN", note: "Consent withdrawn" });
  });

  it("keeps referrals to their two agencies, and filters the inbox by overdue against the clock", async () => {
    const i = await record("CLE", "CLE-REDCAR", { consent: { purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-TEESSIDE"], decision: "GIVEN", method: "VERBAL" } });
    const [{ id }] = await app.ds.query(`SELECT id FROM referral WHERE "incidentId" = $1`, [i.incidentId]);
    const Q = `query($id: ID!) { referral(id: $id) { id status } }`;
    expect((await app.gql(Q, { id }, await tokenFor("CLE", Role.OFFICER))).data!.referral.id).toBe(id);
    expect((await app.gql(Q, { id }, await tokenFor("TS-DURHAM", Role.TREATMENT_WORKER))).errors![0].extensions.code).toBe("NOT_FOUND");
    const tw = await tokenFor("TS-TEESSIDE", Role.TREATMENT_WORKER);
    const ids = async (f: Record<string, unknown>) => (await app.gql(INBOX, { f }, tw)).data!.referrals.edges.map((e: any) => e.node.id);
    expect(await ids({ overdue: true, areaCode: "CLE-REDCAR" })).not.toContain(id);
    app.clock.set(new Date(Date.now() + 73 * 3600_000));
    expect(await ids({ overdue: true, areaCode: "CLE-REDCAR" })).toContain(id);
    expect(await ids({ overdue: false, areaCode: "CLE-REDCAR" })).not.toContain(id);
  });
});

describe("72-hour review pathway (South Wales)", () => {
  const REVIEWS = `query($f: ReviewFilter) { reviews(filter: $f, first: 100) { edges { node {
    id status dueAt overdue completedAt incident { id occurredAt } person { givenName } screening { identifiable knownTo { code } }
  } } } }`;

  it("opens a review due 72 hours after the incident; one that occurred 80 hours ago is overdue at once", async () => {
    const old = await record("SWP", "SWP-CARDIFF", { occurredAt: new Date(Date.now() - 80 * 3600_000).toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null });
    const hrl = await tokenFor("HRT-SW", Role.HARM_REDUCTION_LEAD);
    const r = await app.gql(REVIEWS, { f: { overdue: true } }, hrl);
    const review = r.data!.reviews.edges.map((e: any) => e.node).find((v: any) => v.incident.id === old.incidentId);
    expect(review).toMatchObject({ status: "OPEN", overdue: true });
    expect(new Date(review.dueAt).getTime()).toBe(old.occurredAt.getTime() + 72 * 3600_000);
    expect(review.person.givenName).toBeNull();
    expect(r.errors!.every((e) => e.extensions.code === "CONSENT_REQUIRED")).toBe(true);
  });

  it("screens from identity keys, notifies a consented service by referral, and shares a de-identified summary", async () => {
    const i = await record("SWP", "SWP-SWANSEA");
    const admin = await tokenFor("HUB", Role.ADMIN);
    await app.gql(`mutation { createAgency(input: { code: "TS-GOWER", name: "Gower Recovery (test)", kind: TREATMENT_SERVICE, areaCodes: ["SWP-SWANSEA"] }) { id } }`, {}, admin);
    const gower = await tokenFor("TS-GOWER", Role.TREATMENT_WORKER);
    const reg = await app.gql(
      `mutation($e: [CaseloadEntryInput!]!) { registerCaseload(entries: $e) { entries } }`,
      { e: [{ givenName: i.givenName.toUpperCase(), familyName: "Pathway-Test", dateOfBirth: "1984-04-04" }, { givenName: "Other", familyName: "Casepersonx", dateOfBirth: "1970-01-01" }] },
      gower,
    );
    expect(reg.data!.registerCaseload.entries).toBe(2);
    const stored = await app.ds.query(`SELECT "identityKey" FROM caseload_entry ce JOIN agency a ON a.id = ce."agencyId" WHERE a.code = 'TS-GOWER'`);
    expect(JSON.stringify(stored)).not.toMatch(new RegExp(i.givenName, "i"));

    const hrl = await tokenFor("HRT-SW", Role.HARM_REDUCTION_LEAD, "hrl-1");
    const [{ id: reviewId }] = await app.ds.query(`SELECT id FROM review WHERE "incidentId" = $1`, [i.incidentId]);
    const screen = await app.gql(`mutation($id: ID!) { runScreeningCheck(reviewId: $id) { identifiable knownTo { code } } }`, { id: reviewId }, hrl);
    expect(screen.data!.runScreeningCheck).toEqual({ identifiable: true, knownTo: [{ code: "TS-GOWER" }] });
    const assigned = await app.gql(`mutation($id: ID!) { assignReview(id: $id, caseCoordinatorSub: "cc-swansea") { reviewerSub caseCoordinatorSub } }`, { id: reviewId }, hrl);
    expect(assigned.data!.assignReview).toEqual({ reviewerSub: "hrl-1", caseCoordinatorSub: "cc-swansea" });

    const COMPLETE = `mutation($id: ID!, $i: CompleteReviewInput!) { completeReview(id: $id, input: $i) { status completedAt sharedWithTaskforce notifiedAgencies { code } } }`;
    const input = { actions: ["Notify current treatment provider", "Check peer-to-peer arrangements"], notifyAgencyCodes: ["TS-GOWER"], shareWithTaskforce: true };
    const noConsent = await app.gql(COMPLETE, { id: reviewId, i: input }, hrl);
    expect(noConsent.errors![0].extensions.code).toBe("CONSENT_REQUIRED");
    expect((await app.ds.query(`SELECT status FROM review WHERE id = $1`, [reviewId]))[0].status).toBe("OPEN");

    await consent(i.personId, { purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-GOWER"] }, "SWP");
    const done = await app.gql(COMPLETE, { id: reviewId, i: input }, hrl);
    expect(done.data!.completeReview).toMatchObject({ status: "COMPLETED", sharedWithTaskforce: true, notifiedAgencies: [{ code: "TS-GOWER" }] });
    expect(await referralsOf(i.incidentId)).toEqual(expect.arrayContaining([expect.objectContaining({ pathway: "DIRECT_TREATMENT", to: "TS-GOWER" })]));
    expect((await app.gql(COMPLETE, { id: reviewId, i: input }, hrl)).errors![0].extensions.code).toBe("INVALID_TRANSITION");

    // A per-review row reaches the taskforce only under a consent covering TASKFORCE_REVIEW for it;
    // until then the review is only counted (hidden: one review in its area and month).
    const TF = `{ taskforceSummaries { areaCode weekStarting outcome substances knownToServices servicesNotified actionsAgreed completedWithinDeadline } }`;
    const taskforce = await tokenFor("DPT-SW", Role.ANALYST);
    expect((await app.gql(TF, {}, taskforce)).data!.taskforceSummaries).toEqual([]);
    const taskforceConsent = await consent(i.personId, { purposes: ["TASKFORCE_REVIEW"], recipientAgencyCodes: ["DPT-SW"] }, "SWP");
    const tf = await app.gql(TF, {}, taskforce);
    expect(tf.data!.taskforceSummaries).toEqual([
      expect.objectContaining({ areaCode: "SWP-SWANSEA", knownToServices: true, servicesNotified: 1, actionsAgreed: 2, completedWithinDeadline: true }),
    ]);
    expect(JSON.stringify(tf.body)).not.toMatch(new RegExp(`${i.givenName}|${i.personId}|${i.incidentId}`));
    // Withdrawn: the row goes at once
    await app.gql(`mutation($id: ID!) { withdrawConsent(consentId: $id) { status } }`, { id: taskforceConsent }, await tokenFor("SWP", Role.OFFICER));
    expect((await app.gql(TF, {}, taskforce)).data!.taskforceSummaries).toEqual([]);
  });

  it("a person without names and date of birth cannot be matched", async () => {
    const r = await app.gql(RECORD, { input: validForm({ areaCode: "SWP-BRIDGEND", person: null }) }, await tokenFor("SWP", Role.OFFICER));
    const [{ id }] = await app.ds.query(`SELECT id FROM review WHERE "incidentId" = $1`, [r.data!.recordNaloxoneAdministration.id]);
    const screen = await app.gql(`mutation($id: ID!) { runScreeningCheck(reviewId: $id) { identifiable knownTo { code } } }`, { id }, await tokenFor("HRT-SW", Role.CASE_COORDINATOR));
    expect(screen.data!.runScreeningCheck).toEqual({ identifiable: false, knownTo: [] });
  });
});
