import type { AddressInfo } from "node:net";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { Role } from "../../src/core/auth/roles";
import { startJobs } from "../../src/core/jobs";
import { createLogger } from "../../src/core/logger";
import { ReviewService } from "../../src/modules/reviews/review.service";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

let app: TestApp;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  app = await createTestApp();
  await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", () => resolve()));
  url = `ws://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await app.close();
});

function client(token: string | null): Client {
  const c = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined, connectionParams: token ? { authorization: `Bearer ${token}` } : {} });
  clients.push(c);
  return c;
}

/** Subscribes and queues every result (or error); `next()` takes the next one, waiting up to a timeout. */
function subscribe(c: Client, query: string) {
  const queue: any[] = [];
  const results: any[] = [];
  const waiters: Array<(v: any) => void> = [];
  let failure: unknown = null;
  const deliver = (v: any) => {
    const w = waiters.shift();
    if (w) w(v);
    else queue.push(v);
  };
  c.subscribe(
    { query },
    {
      next: (v) => {
        results.push(v);
        deliver(v);
      },
      error: (e) => {
        failure = e;
        deliver({ failure: e });
      },
      complete: () => undefined,
    },
  );
  return {
    results,
    ready: new Promise<void>((resolve) => setTimeout(resolve, 300)),
    get failure() {
      return failure;
    },
    next: (ms = 5000): Promise<any> =>
      queue.length > 0
        ? Promise.resolve(queue.shift())
        : new Promise<any>((resolve, reject) => {
            const t = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
            waiters.push((v) => {
              clearTimeout(t);
              resolve(v);
            });
          }),
  };
}

const RECEIVED = `subscription { referralReceived { id pathway status toAgency { code } person { givenName } incident { areaCode } } }`;

describe("referralReceived over graphql-ws", () => {
  it("delivers a new referral to the receiving agency only, under its own permissions, and audits the read", async () => {
    const teesside = subscribe(client(await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-live" })), RECEIVED);
    const durham = subscribe(client(await app.token("TS-DURHAM", Role.TREATMENT_WORKER)), RECEIVED);
    await Promise.all([teesside.ready, durham.ready]);

    const r = await app.gql(
      RECORD,
      { input: validForm({ areaCode: "CLE-HARTLEPOOL", person: { givenName: "Livewire", familyName: "Testperson", dateOfBirth: "1993-03-03" }, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }) },
      await app.token("CLE", Role.OFFICER),
    );
    expect(r.errors).toBeUndefined();
    const event = await teesside.next();
    expect(event.errors).toBeUndefined();
    expect(event.data.referralReceived).toMatchObject({ pathway: "DIRECT_TREATMENT", status: "OPEN", toAgency: { code: "TS-TEESSIDE" }, person: { givenName: "Livewire" }, incident: { areaCode: "CLE-HARTLEPOOL" } });
    await new Promise((res) => setTimeout(res, 300));
    expect(durham.results).toEqual([]);
    const rows = await app.ds.query(`SELECT action, basis, "requestId" FROM audit_event WHERE "actorSub" = 'tw-live' AND action = 'PERSON_READ'`);
    expect(rows).toEqual([expect.objectContaining({ basis: "CONSENT" })]);
    expect(rows[0].requestId).toMatch(/^ws-/);
  });

  it("refuses a connection without a valid token", async () => {
    const anon = subscribe(client(null), RECEIVED);
    const bad = subscribe(client("not-a-token"), RECEIVED);
    await new Promise((res) => setTimeout(res, 500));
    expect(anon.failure).toBeTruthy();
    expect(bad.failure).toBeTruthy();
    expect(anon.results).toEqual([]);
  });

  it("refuses the subscription to roles that have no inbox", async () => {
    const analyst = subscribe(client(await app.token("PH-ENG", Role.ANALYST)), RECEIVED);
    const first = await analyst.next();
    expect(first.errors?.[0]?.extensions?.code ?? (first.failure as any)?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("review deadlines", () => {
  const DUE = `subscription { reviewDue { id status overdue dueAt incident { areaCode } } }`;

  it("tells the team 12 hours before a review falls due, and when it does", async () => {
    const sub = subscribe(client(await app.token("HRT-SW", Role.HARM_REDUCTION_LEAD)), DUE);
    await sub.ready;
    const occurredAt = new Date(Date.now() - 61 * 3600_000);
    const r = await app.gql(RECORD, { input: validForm({ areaCode: "SWP-BRIDGEND", occurredAt: occurredAt.toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null, person: null }) }, await app.token("SWP", Role.OFFICER));
    const [{ id }] = await app.ds.query(`SELECT id FROM review WHERE "incidentId" = $1`, [r.data!.recordNaloxoneAdministration.id]);
    const reviews = new ReviewService({ dataSource: app.ds, config: app.config, clock: app.clock, pubsub: app.pubsub });
    await reviews.sendReminders();
    const soon = await sub.next();
    expect(soon.data.reviewDue).toMatchObject({ id, status: "OPEN", overdue: false, incident: { areaCode: "SWP-BRIDGEND" } });
    expect(await reviews.sendReminders()).toBe(0);

    app.clock.set(new Date(occurredAt.getTime() + 72 * 3600_000 + 60_000));
    try {
      await reviews.sendReminders();
      const due = await sub.next();
      expect(due.data.reviewDue).toMatchObject({ id, overdue: true });
    } finally {
      app.clock.reset();
    }
  });

  it("runs the reminder scan on the PostgreSQL job queue", async () => {
    const r = await app.gql(
      RECORD,
      { input: validForm({ areaCode: "SWP-CARDIFF", occurredAt: new Date(Date.now() - 75 * 3600_000).toISOString(), ambulanceCalledAt: null, ambulanceArrivedAt: null, person: null }) },
      await app.token("SWP", Role.OFFICER),
    );
    const incidentId = r.data!.recordNaloxoneAdministration.id;
    const reviews = new ReviewService({ dataSource: app.ds, config: app.config, clock: app.clock, pubsub: app.pubsub });
    const jobs = await startJobs(app.db.url, [{ name: "review-reminders", cron: "0 0 1 1 *", run: () => reviews.sendReminders() }], createLogger(app.config));
    try {
      await jobs.trigger("review-reminders");
      let flags: any = null;
      for (let i = 0; i < 60 && !flags?.dueNowNotified; i++) {
        await new Promise((res) => setTimeout(res, 250));
        [flags] = await app.ds.query(`SELECT "dueSoonNotified", "dueNowNotified" FROM review WHERE "incidentId" = $1`, [incidentId]);
      }
      expect(flags).toEqual({ dueSoonNotified: true, dueNowNotified: true });
      const [{ n }] = await app.ds.query(`SELECT count(*)::int AS n FROM pgboss.schedule WHERE name = 'review-reminders'`);
      expect(n).toBe(1);
    } finally {
      await jobs.stop();
    }
  });
});
