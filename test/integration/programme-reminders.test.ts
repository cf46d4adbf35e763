import type { AddressInfo } from "node:net";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { Role } from "../../src/core/auth/roles";
import { startJobs, type Jobs } from "../../src/core/jobs";
import { createLogger } from "../../src/core/logger";
import { ProgrammeReminderService } from "../../src/modules/programme/reminder.service";
import { createTestApp, type TestApp } from "../helpers/app";
import { daysFromNow, hoursAgo, key, MOVE, REGISTER, TRAIN } from "../helpers/programme";

let app: TestApp;
let url: string;
const clients: Client[] = [];
const JOB = "programme-reminders";

beforeAll(async () => {
  app = await createTestApp();
  await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", () => resolve()));
  url = `ws://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await app.close();
});

function subscribe(token: string, query: string) {
  const c = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams: { authorization: `Bearer ${token}` } });
  clients.push(c);
  const events: any[] = [];
  c.subscribe({ query }, { next: (v) => void events.push(v), error: (e) => void events.push({ failure: e }), complete: () => undefined });
  return events;
}

const REMINDER = `subscription { programmeReminder { kind forceCode dueOn batch kits collarNumber } }`;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startQueue(): Promise<Jobs> {
  const service = new ProgrammeReminderService({ dataSource: app.ds, config: app.config, clock: app.clock, pubsub: app.pubsub });
  // A yearly cron: only the explicit triggers below run it.
  return startJobs(app.db.url, [{ name: JOB, cron: "0 0 1 1 *", run: () => service.sendReminders() }], createLogger(app.config));
}

async function completedRuns(): Promise<number> {
  const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [JOB]);
  return n;
}

async function runOnce(jobs: Jobs): Promise<void> {
  const before = await completedRuns();
  await jobs.trigger(JOB);
  for (let i = 0; i < 80 && (await completedRuns()) === before; i++) await wait(250);
  expect(await completedRuns()).toBe(before + 1);
  await wait(300); // let the published events reach the sockets
}

describe("expiry and refresher reminders through the job queue", () => {
  it("announce each once to the force's lead, survive a restart, and never repeat", async () => {
    const dur = await app.token("DUR", Role.FORCE_LEAD, { sub: "dur-lead" });
    const trainedOn = (monthsAgo: number, plusDays = 0) => {
      const d = new Date();
      d.setUTCMonth(d.getUTCMonth() - monthsAgo);
      d.setUTCDate(d.getUTCDate() + plusDays);
      return d.toISOString().slice(0, 10);
    };
    for (const collar of ["R1", "R2"]) await app.gql(REGISTER, { input: { collarNumber: collar, role: "CUSTODY_OFFICER", areaCode: "DUR-DURHAM", carries: true, rolloutPhase: "CUSTODY" } }, dur);
    // R1's refresher falls due in about 10 days; R2's in about 10 months.
    await app.gql(TRAIN, { input: { collarNumber: "R1", trainedOn: trainedOn(12, 10), mode: "IN_PERSON_STANDALONE", provider: "EXTERNAL", modules: [] } }, dur);
    await app.gql(TRAIN, { input: { collarNumber: "R2", trainedOn: trainedOn(2), mode: "IN_PERSON_STANDALONE", provider: "EXTERNAL", modules: [] } }, dur);
    const procure = (batch: string, kits: number, expiresOn: string) => ({ idempotencyKey: key(batch), kind: "PROCURED", kits, batch, expiresOn, location: { kind: "STORE", reference: "MAIN" }, at: hoursAgo(30) });
    await app.gql(MOVE, { input: procure("DUR-SOON", 6, daysFromNow(12)) }, dur);
    await app.gql(MOVE, { input: procure("DUR-LATER", 9, daysFromNow(400)) }, dur);

    const durEvents = subscribe(dur, REMINDER);
    const cleEvents = subscribe(await app.token("CLE", Role.FORCE_LEAD), REMINDER);
    const analystEvents = subscribe(await app.token("PH-ENG", Role.ANALYST), REMINDER);
    await wait(400);

    let jobs = await startQueue();
    try {
      await runOnce(jobs);
    } finally {
      await jobs.stop();
    }
    const data = durEvents.map((e) => e.data?.programmeReminder);
    expect(data).toEqual(
      expect.arrayContaining([
        { kind: "KIT_EXPIRY", forceCode: "DUR", dueOn: daysFromNow(12), batch: "DUR-SOON", kits: 6, collarNumber: null },
        { kind: "REFRESHER_DUE", forceCode: "DUR", dueOn: trainedOn(0, 10), batch: null, kits: null, collarNumber: "R1" },
      ]),
    );
    expect(data).toHaveLength(2);
    expect(cleEvents).toEqual([]);
    expect(analystEvents).toHaveLength(1);
    expect(analystEvents[0].failure ?? analystEvents[0].errors).toBeTruthy();
    const flags = await app.ds.query(`SELECT batch, "expiryNoticeSentAt" IS NOT NULL AS sent FROM kit_batch ORDER BY batch`);
    expect(flags).toEqual([{ batch: "DUR-LATER", sent: false }, { batch: "DUR-SOON", sent: true }]);

    // While the hub is down, another batch nears expiry. After a restart (a new queue on the same
    // database) only that one is announced; nothing already sent is sent again.
    await app.gql(MOVE, { input: procure("DUR-SOON-2", 2, daysFromNow(5)) }, dur);
    jobs = await startQueue();
    try {
      await runOnce(jobs);
      await runOnce(jobs);
    } finally {
      await jobs.stop();
    }
    const after = durEvents.map((e) => e.data?.programmeReminder);
    expect(after).toHaveLength(3);
    expect(after[2]).toEqual({ kind: "KIT_EXPIRY", forceCode: "DUR", dueOn: daysFromNow(5), batch: "DUR-SOON-2", kits: 2, collarNumber: null });
    const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM pgboss.schedule WHERE name = $1`, [JOB]);
    expect(n).toBe(1);
  }, 60_000);

  it("sends a refresher reminder again only for a new due date", async () => {
    const service = new ProgrammeReminderService({ dataSource: app.ds, config: app.config, clock: app.clock, pubsub: app.pubsub });
    expect(await service.sendReminders()).toBe(0);
    const dur = await app.token("DUR", Role.FORCE_LEAD);
    // R1 takes the refresher today: due a year on, nothing to announce now.
    await app.gql(TRAIN, { input: { collarNumber: "R1", kind: "REFRESHER", trainedOn: new Date().toISOString().slice(0, 10), mode: "ONLINE_SELF_DIRECTED", provider: "IN_HOUSE", modules: [] } }, dur);
    expect(await service.sendReminders()).toBe(0);
    // A year later (clock moved), the new due date is announced once.
    app.clock.set(new Date(Date.now() + 360 * 86_400_000));
    try {
      expect(await service.sendReminders()).toBeGreaterThanOrEqual(1);
      expect(await service.sendReminders()).toBe(0);
    } finally {
      app.clock.reset();
    }
  });
});
