import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { Role } from "../../src/core/auth/roles";
import { signToken } from "../../src/core/auth/tokens";
import { systemClock } from "../../src/core/clock";
import { loadConfig } from "../../src/core/config";
import { createHubPubSub } from "../../src/core/pubsub";
import { seedDemo } from "../../src/demo/seed";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/db";
import { RECORD, validForm } from "../helpers/forms";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const root = path.join(__dirname, "..", "..");

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

let db: TestDatabase;
const hubs: Array<{ proc: ChildProcess; port: number }> = [];

async function startHub(): Promise<{ proc: ChildProcess; port: number }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(root, "dist/src/index.js")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "development", DATABASE_URL: db.url, REDIS_URL, PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  proc.stderr?.on("data", (d) => (stderr += d));
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return { proc, port };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  proc.kill("SIGKILL");
  throw new Error(`hub did not start: ${stderr.slice(-2000)}`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  const ds = await connect(db.url);
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: db.url });
  const pubsub = createHubPubSub({ redisUrl: undefined });
  await seedDemo({ config, dataSource: ds, clock: systemClock, pubsub }, { incidents: false });
  await ds.destroy();
  hubs.push(await startHub(), await startHub());
});

afterAll(async () => {
  for (const h of hubs) {
    const exited = new Promise((r) => h.proc.once("exit", r));
    h.proc.kill("SIGTERM");
    await exited;
  }
  await db?.drop();
});

describe("several hub instances behind one Redis", () => {
  it("delivers a referral created through one instance to a subscriber connected to the other", async () => {
    const config = loadConfig({ NODE_ENV: "development" });
    const [first, second] = hubs;
    const workerToken = await signToken(config, { sub: "tw-multi", agency: "TS-TEESSIDE", roles: [Role.TREATMENT_WORKER] });
    const client = createClient({ url: `ws://127.0.0.1:${first.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${workerToken}` } });
    try {
      const received = new Promise<any>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no referral arrived within 10 s")), 10_000);
        client.subscribe(
          { query: `subscription { referralReceived { id pathway toAgency { code } person { givenName } } }` },
          { next: (v) => (clearTimeout(t), resolve(v)), error: reject, complete: () => undefined },
        );
      });
      await new Promise((r) => setTimeout(r, 500));

      const officer = await signToken(config, { sub: "pc-multi", agency: "CLE", roles: [Role.OFFICER] });
      const res = await fetch(`http://127.0.0.1:${second.port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${officer}` },
        body: JSON.stringify({
          query: RECORD,
          variables: {
            input: validForm({
              areaCode: "CLE-MIDDLESBROUGH",
              person: { givenName: "Twohubs", familyName: "Testperson", dateOfBirth: "1990-09-09" },
              consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientAgencyCodes: ["TS-TEESSIDE"], method: "VERBAL" },
            }),
          },
        }),
      });
      const body = (await res.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();

      const event = await received;
      expect(event.data.referralReceived).toMatchObject({ pathway: "DIRECT_TREATMENT", toAgency: { code: "TS-TEESSIDE" }, person: { givenName: "Twohubs" } });
    } finally {
      await client.dispose();
    }
  });
});
