import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

/**
 * A subscription ends with its token: the socket is closed with 4401 at the token's exp and when the
 * agency is deactivated, and no event is delivered after either.
 */
let app: TestApp;
let url: string;
beforeAll(async () => {
  app = await createTestApp({ env: { SUBSCRIPTION_RECHECK_SECONDS: "1" } });
  await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", () => resolve()));
  url = `ws://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(() => app.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A graphql-transport-ws subscriber spoken to directly, so the close code can be seen. */
async function subscriber(token: string) {
  const ws = new WebSocket(url, "graphql-transport-ws");
  const messages: any[] = [];
  let closedAt = 0;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => {
      closedAt = Date.now();
      resolve({ code, reason: reason.toString() });
    }),
  );
  ws.on("message", (m) => messages.push(JSON.parse(m.toString())));
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
  for (let i = 0; i < 100 && !messages.some((m) => m.type === "connection_ack"); i++) await sleep(20);
  expect(messages.map((m) => m.type)).toContain("connection_ack");
  ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { referralReceived { id person { givenName familyName } } }" } }));
  await sleep(200);
  return { ws, messages, closed, closedAt: () => closedAt, events: () => messages.filter((m) => m.type === "next") };
}

/** A Cleveland incident whose on-scene consent routes a referral to TS-TEESSIDE. */
const referTeesside = async (givenName: string) => {
  const r = await app.gql(
    RECORD,
    { input: validForm({ areaCode: "CLE-STOCKTON", person: { givenName, familyName: "Sockettestperson", dateOfBirth: "1988-08-18" }, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }) },
    await app.token("CLE", Role.OFFICER),
  );
  expect(r.errors).toBeUndefined();
};

describe("subscriptions end with their token", () => {
  it("closes the socket with 4401 at exp, and delivers nothing after it", async () => {
    const ttl = 3;
    const issued = Date.now();
    const sub = await subscriber(await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-shortlived", ttlSeconds: ttl }));
    // Before exp the subscription works.
    await referTeesside("Beforeexpy");
    for (let i = 0; i < 100 && sub.events().length === 0; i++) await sleep(20);
    expect(sub.events()).toHaveLength(1);
    const closed = await sub.closed;
    expect(closed.code).toBe(4401);
    expect(sub.closedAt() - issued).toBeLessThan(ttl * 1000 + 1500); // at exp (whole seconds), not at some later event
    await referTeesside("Afterexpy");
    await sleep(500);
    expect(sub.events()).toHaveLength(1);
    expect(JSON.stringify(sub.messages)).not.toContain("Afterexpy");
  });

  it("closes the socket with 4401 when the agency is deactivated, before the next event is sent", async () => {
    const sub = await subscriber(await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-deactivated" }));
    await app.ds.query(`UPDATE agency SET active = false WHERE code = 'TS-TEESSIDE'`);
    try {
      await referTeesside("Deactivaty");
      const closed = await sub.closed;
      expect(closed.code).toBe(4401);
      await sleep(300);
      expect(sub.events()).toEqual([]);
      expect(JSON.stringify(sub.messages)).not.toContain("Deactivaty");
    } finally {
      await app.ds.query(`UPDATE agency SET active = true WHERE code = 'TS-TEESSIDE'`);
    }
  });

  it("closes an idle socket of a deactivated agency within SUBSCRIPTION_RECHECK_SECONDS", async () => {
    const sub = await subscriber(await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-idle" }));
    await app.ds.query(`UPDATE agency SET active = false WHERE code = 'TS-TEESSIDE'`);
    try {
      const t0 = Date.now();
      const closed = await Promise.race([sub.closed, sleep(5000).then(() => ({ code: 0, reason: "still open" }))]);
      expect(closed.code).toBe(4401);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await app.ds.query(`UPDATE agency SET active = true WHERE code = 'TS-TEESSIDE'`);
    }
  });
});
