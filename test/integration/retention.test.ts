import { Role } from "../../src/core/auth/roles";
import { startJobs } from "../../src/core/jobs";
import { createLogger } from "../../src/core/logger";
import { RetentionService, retentionJob } from "../../src/modules/retention/retention.service";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// A shortened period (the safe minimum, 365 days) and the clock moved 400 days on.
let app: TestApp;
const DAY = 86_400_000;
const start = new Date();
const later = new Date(start.getTime() + 400 * DAY);
const letters = (n: number) => Array.from(String(n).padStart(2, "0"), (d) => "abcdefghij"[Number(d)]).join("");
const old: Array<{ personId: string; incidentId: string }> = [];
let held: { personId: string; incidentId: string };
let recent: { personId: string; incidentId: string };
let midway: { personId: string; incidentId: string };

const service = (over: Partial<TestApp["config"]["retention"]> = {}) =>
  new RetentionService({ dataSource: app.ds, config: { ...app.config, retention: { ...app.config.retention, ...over } }, clock: app.clock, pubsub: app.pubsub });

const PERIOD = { from: new Date(start.getTime() - 30 * DAY).toISOString(), to: new Date(start.getTime() + 14 * DAY).toISOString() };
const AGGREGATES = `query($f: KpiFilter, $a: AggregateFilter) {
  kpis(filter: $f) { administrations { count suppressed } overdosesReversed { count suppressed } doses { count suppressed }
                     withFirstAid { count suppressed } seenByParamedics { count suppressed } resupplyRequests { count suppressed } }
  areaCounts(filter: $a) { areaCode count suppressed }
  heatmap(filter: $a, resolution: 7) { cells { h3 count suppressed } total { count suppressed } }
}`;
const aggregates = async () => {
  const r = await app.gql(AGGREGATES, { f: { ...PERIOD, areaCodes: ["DUR-EASINGTON"] }, a: { ...PERIOD, areaCodes: ["DUR-EASINGTON"] } }, await app.token("PH-ENG", Role.ANALYST));
  expect(r.errors).toBeUndefined();
  return r.data;
};
const REPORT = `{ retentionReport { settings { personDays locationDays freeTextDays dryRun } peopleDue locationsDue freeTextDue due { kind id dueSince } erasedTotal done { kind id at fields auditEventId } lastRunAt } }`;

beforeAll(async () => {
  app = await createTestApp({ env: { RETENTION_PERSON_DAYS: "365", RETENTION_LOCATION_DAYS: "31", RETENTION_FREE_TEXT_DAYS: "90" } });
  const dur = await app.token("DUR", Role.OFFICER);
  for (let k = 0; k < 12; k++) {
    const r = await app.gql(RECORD, { input: validForm({ person: { givenName: "Retainy", familyName: `Testperson${letters(k)}`, dateOfBirth: "1985-05-05" } }) }, dur);
    expect(r.errors).toBeUndefined();
    old.push({ personId: r.data!.recordNaloxoneAdministration.person.id, incidentId: r.data!.recordNaloxoneAdministration.id });
  }
  const [neas] = await app.ds.query(`SELECT id FROM agency WHERE code = 'NEAS'`);
  await app.ds.query(
    `INSERT INTO handover ("incidentId", "agencyId", "idempotencyKey", "requestHash", "recordedBySub", "handedOverAt", "patientCondition", circumstances)
     VALUES ($1, $2, 'retention-1', 'x', 'para', now(), 'Drowsy, said her name was Retainy', 'Found at her flat')`,
    [old[0].incidentId, neas.id],
  );
  // A person whose referral is still open: work in flight holds the identity whatever the dates.
  const cle = await app.gql(
    RECORD,
    { input: validForm({ areaCode: "CLE-HARTLEPOOL", person: { givenName: "Heldy", familyName: "Testperson", dateOfBirth: "1986-06-06" }, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }) },
    await app.token("CLE", Role.OFFICER),
  );
  held = { personId: cle.data!.recordNaloxoneAdministration.person.id, incidentId: cle.data!.recordNaloxoneAdministration.id };
  // Someone recorded 400 days on: recent, kept.
  app.clock.set(later);
  const r = await app.gql(RECORD, { input: validForm({ occurredAt: new Date(later.getTime() - 3600_000).toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null, person: { givenName: "Recenty", familyName: "Testperson", dateOfBirth: "1987-07-07" } }) }, dur);
  expect(r.errors).toBeUndefined();
  recent = { personId: r.data!.recordNaloxoneAdministration.person.id, incidentId: r.data!.recordNaloxoneAdministration.id };
  // Free text 100 days older than then, about a person who is recent: past 90 days, erased alone.
  await app.ds.query(
    `INSERT INTO handover ("incidentId", "agencyId", "idempotencyKey", "requestHash", "recordedBySub", "handedOverAt", "patientCondition", circumstances)
     VALUES ($1, $2, 'retention-2', 'x', 'para', $3, 'Said he was Recenty from the hostel', NULL)`,
    [recent.incidentId, neas.id, new Date(later.getTime() - 100 * DAY)],
  );
  // Someone recorded 61 days before then: their precise location is past 31 days, their identity is not.
  const mid = new Date(later.getTime() - 61 * DAY);
  app.clock.set(mid);
  const m = await app.gql(RECORD, { input: validForm({ occurredAt: new Date(mid.getTime() - 3600_000).toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null, person: { givenName: "Midway", familyName: "Testperson", dateOfBirth: "1988-08-08" } }) }, dur);
  expect(m.errors).toBeUndefined();
  midway = { personId: m.data!.recordNaloxoneAdministration.person.id, incidentId: m.data!.recordNaloxoneAdministration.id };
  app.clock.reset();
}, 60_000);
afterAll(() => app.close());
afterEach(() => app.clock.reset());

describe("retention", () => {
  let before: unknown;

  it("reports nothing due inside the period, and a dry run past it erases nothing", async () => {
    before = await aggregates();
    const auditor = await app.token("HUB", Role.AUDITOR);
    const now = (await app.gql(REPORT, {}, auditor)).data!.retentionReport;
    expect(now).toMatchObject({ settings: { personDays: 365, locationDays: 31, freeTextDays: 90, dryRun: false }, peopleDue: 0, locationsDue: 0, freeTextDue: 0, due: [], erasedTotal: 0 });

    app.clock.set(later);
    const run = await service({ dryRun: true }).run();
    expect(run).toEqual({ dryRun: true, peopleDue: 12, locationsDue: 13, freeTextDue: 2, peopleErased: 0, locationsErased: 0, freeTextErased: 0 });
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM person WHERE "erasedAt" IS NOT NULL`);
    expect(n).toBe(0);
    const due = (await app.gql(REPORT, {}, auditor)).data!.retentionReport;
    expect(due.peopleDue).toBe(12);
    expect(due.due.filter((d: any) => d.kind === "PERSON_IDENTITY").map((d: any) => d.id).sort()).toEqual(old.map((o) => o.personId).sort());
    expect(due.lastRunAt).not.toBeNull();
  });

  it("erases identifying data past its period, keeps counts, records and audit, and audits each erasure", async () => {
    app.clock.set(later);
    // An interrupted run (one batch of five, then a crash), then two runs at once: nothing twice.
    await service().run({ batchSize: 5, maxBatches: 1 });
    const [a, b] = await Promise.all([service().run(), service().run()]);
    expect(a.peopleErased + b.peopleErased).toBe(7);
    expect(a.locationsErased + b.locationsErased).toBe(1);
    expect(a.freeTextErased + b.freeTextErased).toBe(1);
    const [rh] = await app.ds.query(`SELECT "patientCondition" FROM handover WHERE "incidentId" = $1`, [recent.incidentId]);
    expect(rh.patientCondition).toBeNull();
    const [mp] = await app.ds.query(`SELECT "givenName", "erasedAt" FROM person WHERE id = $1`, [midway.personId]);
    expect(mp).toEqual({ givenName: "Midway", erasedAt: null });
    const [mi] = await app.ds.query(`SELECT lat, h3r9, h3r7, "locationErasedAt" FROM incident WHERE id = $1`, [midway.incidentId]);
    expect(mi).toEqual({ lat: null, h3r9: null, h3r7: expect.any(String), locationErasedAt: expect.any(Date) });

    const people = await app.ds.query(`SELECT id, "givenName", "familyName", "dateOfBirth", "ageYears", gender, "identityKey", "erasedAt" FROM person WHERE id = ANY($1::uuid[])`, [old.map((o) => o.personId)]);
    expect(people).toHaveLength(12);
    for (const p of people) expect(p).toEqual({ id: p.id, givenName: null, familyName: null, dateOfBirth: null, ageYears: null, gender: null, identityKey: null, erasedAt: expect.any(Date) });
    const incidents = await app.ds.query(`SELECT lat, lng, h3r7, h3r8, h3r9, "locationErasedAt", "areaCode" FROM incident WHERE id = ANY($1::uuid[])`, [old.map((o) => o.incidentId)]);
    for (const i of incidents) expect(i).toMatchObject({ lat: null, lng: null, h3r8: null, h3r9: null, h3r7: expect.any(String), areaCode: "DUR-EASINGTON", locationErasedAt: expect.any(Date) });

    const [ho] = await app.ds.query(`SELECT "patientCondition", circumstances, "handedOverAt" FROM handover WHERE "incidentId" = $1`, [old[0].incidentId]);
    expect(ho).toEqual({ patientCondition: null, circumstances: null, handedOverAt: expect.any(Date) });

    // Exactly one erasure row per person and per location, and the audit chain still intact.
    const rows = await app.ds.query(`SELECT "entityType", "entityId", "personId", fields FROM audit_event WHERE action = 'RETENTION_ERASED'`);
    expect(rows.filter((r: any) => r.entityType === "Person").map((r: any) => r.entityId).sort()).toEqual(old.map((o) => o.personId).sort());
    expect(rows.filter((r: any) => r.entityType === "Incident").map((r: any) => r.entityId).sort()).toEqual([...old.map((o) => o.incidentId), midway.incidentId].sort());
    expect(rows.filter((r: any) => r.entityType === "Handover")).toEqual([expect.objectContaining({ personId: recent.personId, fields: ["patientCondition", "circumstances"] })]);
    expect(rows.find((r: any) => r.entityType === "Person").fields).toEqual(expect.arrayContaining(["givenName", "familyName", "dateOfBirth", "identityKey"]));
    const [{ n: earlier }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE "personId" = ANY($1::uuid[]) AND action = 'INCIDENT_RECORDED'`, [old.map((o) => o.personId)]);
    expect(earlier).toBe(12);
    const chain = await app.gql(`{ verifyAuditChain { intact } }`, {}, await app.token("HUB", Role.AUDITOR));
    expect(chain.data!.verifyAuditChain.intact).toBe(true);

    // Work in flight and recent people are kept.
    const [h] = await app.ds.query(`SELECT "givenName", "erasedAt" FROM person WHERE id = $1`, [held.personId]);
    expect(h).toEqual({ givenName: "Heldy", erasedAt: null });
    const [r] = await app.ds.query(`SELECT "givenName" FROM person WHERE id = $1`, [recent.personId]);
    expect(r.givenName).toBe("Recenty");
    const [ri] = await app.ds.query(`SELECT lat FROM incident WHERE id = $1`, [recent.incidentId]);
    expect(ri.lat).not.toBeNull();

    // The aggregates are the same as before.
    app.clock.reset();
    expect(await aggregates()).toEqual(before);
  });

  it("is idempotent: another run erases and audits nothing, on the job queue too", async () => {
    app.clock.set(later);
    const [{ n: rowsBefore }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'RETENTION_ERASED'`);
    expect(await service().run()).toMatchObject({ peopleDue: 0, peopleErased: 0, locationsErased: 0, freeTextDue: 0, freeTextErased: 0 });
    const jobs = await startJobs(app.db.url, [{ ...retentionJob({ dataSource: app.ds, config: app.config, clock: app.clock, pubsub: app.pubsub }), cron: "0 0 1 1 *" }], createLogger(app.config));
    try {
      const [{ n: runsBefore }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'RETENTION_RUN'`);
      await jobs.trigger("retention");
      let runs = runsBefore;
      for (let i = 0; i < 60 && runs === runsBefore; i++) {
        await new Promise((res) => setTimeout(res, 250));
        [{ n: runs }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'RETENTION_RUN'`);
      }
      expect(runs).toBe(runsBefore + 1);
    } finally {
      await jobs.stop();
    }
    const [{ n: rowsAfter }] = await app.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'RETENTION_ERASED'`);
    expect(rowsAfter).toBe(rowsBefore);

    const report = (await app.gql(REPORT, {}, await app.token("HUB", Role.AUDITOR))).data!.retentionReport;
    expect(report).toMatchObject({ peopleDue: 0, locationsDue: 0, freeTextDue: 0, erasedTotal: 26 });
    expect(report.done).toHaveLength(26);
  });

  it("leaves an erased person unfindable by identity, and the subject access report says what was erased", async () => {
    const auditor = await app.token("HUB", Role.AUDITOR);
    const find = await app.gql(`query($i: IdentityInput!) { findPerson(identity: $i) { id } }`, { i: { givenName: "Retainy", familyName: "Testpersonaa", dateOfBirth: "1985-05-05" } }, auditor);
    expect(find.data!.findPerson).toBeNull();
    const sar = await app.gql(`query($p: ID!) { subjectAccessReport(personId: $p) { identifyingDataHeld identifyingDataErasedAt records { kind } } }`, { p: old[0].personId }, auditor);
    expect(sar.data!.subjectAccessReport).toMatchObject({ identifyingDataHeld: [], identifyingDataErasedAt: expect.any(String), records: expect.arrayContaining([{ kind: "INCIDENT" }, { kind: "HANDOVER" }]) });
  });

  it("keeps a person whose new record arrives while the job is at work", async () => {
    const r = await app.gql(RECORD, { input: validForm({ person: { givenName: "Racey", familyName: "Testperson", dateOfBirth: "1984-04-04" } }) }, await app.token("DUR", Role.OFFICER));
    const racey = r.data!.recordNaloxoneAdministration.person.id;
    app.clock.set(later);
    // A new incident about Racey, not yet committed when the job looks: the job waits for it (the
    // row lock), checks again, and keeps Racey.
    const qr = app.ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      const [dur] = await qr.query(`SELECT id FROM agency WHERE code = 'DUR'`);
      await qr.query(
        `INSERT INTO incident ("agencyId", "idempotencyKey", "requestHash", "recordedBySub", "occurredAt", "areaCode", "personId",
           "dosesAdministered", outcome, "seenByParamedics", "resupplyNeeded",
           "firstAidTriedtowakeverbally", "firstAidTiltedheadback", "firstAidCheckedbreathing", "firstAidRecoveryposition",
           "firstAidChestcompressions", "firstAidRescuebreaths", "firstAidClearedairways", "firstAidCheckedpulse")
         VALUES ($1, 'race-1', 'x', 'race', $2, 'DUR-EASINGTON', $3, 1, 'CONSCIOUS_AND_RESPONSIVE', true, false, true, true, true, true, false, false, true, true)`,
        [dur.id, new Date(later.getTime() - 3600_000), racey],
      );
      const run = service().run();
      await new Promise((res) => setTimeout(res, 500));
      await qr.commitTransaction();
      const done = await run;
      expect(done.peopleErased).toBe(0);
    } finally {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      await qr.release();
    }
    const [p] = await app.ds.query(`SELECT "givenName", "erasedAt" FROM person WHERE id = $1`, [racey]);
    expect(p).toEqual({ givenName: "Racey", erasedAt: null });
  });

  it("is for auditors only", async () => {
    for (const [agency, role] of [["DUR", Role.OFFICER], ["HUB", Role.ADMIN], ["PH-ENG", Role.ANALYST]] as const) {
      const r = await app.gql(REPORT, {}, await app.token(agency, role));
      expect(r.errors![0].extensions.code).toBe("FORBIDDEN");
    }
  });
});
