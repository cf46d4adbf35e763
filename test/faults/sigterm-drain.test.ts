import pg from "pg";
import WebSocket from "ws";
import { Role } from "../../src/core/auth/roles";
import { signToken } from "../../src/core/auth/tokens";
import { loadConfig } from "../../src/core/config";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { gql, killHard, prepareDatabase, sleep, startHub, type HubProcess } from "./hub-process";

/**
 * SIGTERM: the hub stops taking new work, lets a slow in-flight request finish with its answer,
 * closes websocket subscriptions with a proper close frame (1001, going away), and exits 0.
 */
let db: TestDatabase;
let hub: HubProcess | null = null;
beforeAll(async () => {
  db = await createTestDatabase();
  await prepareDatabase(db.url);
});
afterAll(async () => {
  if (hub) await killHard(hub);
  await db?.drop();
});

describe("SIGTERM", () => {
  it("drains a slow in-flight request, closes subscriptions cleanly and exits 0", async () => {
    const config = loadConfig({ NODE_ENV: "development" });
    const admin = await signToken(config, { sub: "admin-drain", agency: "HUB", roles: [Role.ADMIN] }, 600);
    const worker = await signToken(config, { sub: "tw-drain", agency: "TS-TEESSIDE", roles: [Role.TREATMENT_WORKER] }, 600);
    hub = await startHub(db.url);

    // A subscriber, speaking graphql-transport-ws directly so the close frame can be seen.
    const ws = new WebSocket(`ws://127.0.0.1:${hub.port}/graphql`, "graphql-transport-ws");
    const messages: any[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on("message", (m) => messages.push(JSON.parse(m.toString())));
    await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
    ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${worker}` } }));
    for (let i = 0; i < 100 && !messages.some((m) => m.type === "connection_ack"); i++) await sleep(20);
    expect(messages.map((m) => m.type)).toContain("connection_ack");
    ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { referralReceived { id } }" } }));
    await sleep(200);
    expect(messages.filter((m) => m.type === "error")).toEqual([]);

    // A slow request: hold a lock on agency so the request's authentication waits on it.
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE agency IN ACCESS EXCLUSIVE MODE");
    const t0 = Date.now();
    const slow = gql(hub.url, admin, "{ agencies { code } }");
    await sleep(400); // the request is in flight, blocked in the database

    hub.proc.kill("SIGTERM");
    const wsClose = await closed;
    expect(wsClose.code).toBe(1001);
    // New connections are refused while draining.
    await sleep(200);
    await expect(fetch(`${hub.url}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();

    await sleep(600);
    expect(hub.proc.exitCode).toBeNull(); // still draining: the slow request has not finished
    await locker.query("COMMIT");
    await locker.end();

    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.agencies.map((a: { code: string }) => a.code)).toContain("TS-TEESSIDE");
    expect(Date.now() - t0).toBeGreaterThan(1000);

    const answeredAt = Date.now();
    const exit = await hub.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - answeredAt).toBeLessThan(5000); // well inside the 15 s force-exit
    expect(hub.output()).not.toMatch(/error during shutdown|Unhandled|uncaught/i);
    hub = null;
  });
});

describe("SIGTERM as soon as the hub is ready", () => {
  it("still shuts down cleanly (exit 0), not killed by the signal", async () => {
    hub = await startHub(db.url); // returns at the first /readyz 200, while the job queue may still be starting
    hub.proc.kill("SIGTERM");
    expect(await hub.exited).toEqual({ code: 0, signal: null });
    hub = null;
  });
});
