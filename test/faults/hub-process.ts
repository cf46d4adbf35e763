import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { systemClock } from "../../src/core/clock";
import { loadConfig } from "../../src/core/config";
import { createHubPubSub } from "../../src/core/pubsub";
import { seedDemo } from "../../src/demo/seed";
import { connect } from "../helpers/db";

const root = path.join(__dirname, "..", "..");

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Migrates (when asked) and loads the demo agencies and routes, without incidents. */
export async function prepareDatabase(url: string, opts: { migrate?: boolean } = {}): Promise<void> {
  const ds = await connect(url);
  try {
    if (opts.migrate) await ds.runMigrations({ transaction: "each" });
    await seedDemo({ config: loadConfig({ NODE_ENV: "test", DATABASE_URL: url }), dataSource: ds, clock: systemClock, pubsub: createHubPubSub({ redisUrl: undefined }) }, { incidents: false });
  } finally {
    await ds.destroy();
  }
}

export interface HubProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote (JSON logs at LOG_LEVEL warn, and anything else). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node dist/src/index.js` on the given database, as in production; resolves once /readyz answers 200. */
export async function startHub(databaseUrl: string, port?: number): Promise<HubProcess> {
  port ??= await freePort();
  const proc = spawn(process.execPath, [path.join(root, "dist/src/index.js")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: process.env.HUB_LOG_LEVEL ?? "warn",
      RATE_LIMIT_USER_PER_MINUTE: "1000000",
      RATE_LIMIT_AGENCY_PER_MINUTE: "1000000",
      REDIS_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
  const hub: HubProcess = { proc, port, url: `http://127.0.0.1:${port}`, output: () => out, exited };
  for (let i = 0; i < 240; i++) {
    if (proc.exitCode !== null) throw new Error(`hub exited during start: ${out.slice(-2000)}`);
    try {
      if ((await fetch(`${hub.url}/readyz`)).status === 200) return hub;
    } catch {
      // not listening yet
    }
    await sleep(125);
  }
  proc.kill("SIGKILL");
  throw new Error(`hub did not start: ${out.slice(-2000)}`);
}

/** SIGKILL, and wait until the process is gone. */
export async function killHard(hub: HubProcess): Promise<void> {
  if (hub.proc.exitCode !== null || hub.proc.signalCode !== null) return;
  hub.proc.kill("SIGKILL");
  await hub.exited;
}

export interface GqlAnswer {
  status: number;
  body: any;
  text: string;
}

export async function gql(url: string, token: string, query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<GqlAnswer> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertion that reads it will say so
  }
  return { status: res.status, body, text };
}
