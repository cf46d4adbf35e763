import PgBoss from "pg-boss";
import request from "supertest";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// GET /metrics scraped and parsed as Prometheus text, after traffic that carries names, dates of
// birth, ids and a client-chosen operation name: none of them may appear anywhere in the scrape.

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the Prometheus text exposition format (0.0.4): every line must parse. */
function parseExposition(text: string): { samples: Sample[]; help: Map<string, string>; types: Map<string, string> } {
  const samples: Sample[] = [];
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (m) {
      help.set(m[1], m[2]);
      continue;
    }
    m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (m) {
      types.set(m[1], m[2]);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)(?: -?\d+)?$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line.slice(0, 120)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return { samples, help, types };
}

let app: TestApp;
let limited: TestApp;
let scrape: string;
let incidentId: string;
let personId: string;
let boss: PgBoss;
const FORM = validForm({ person: { givenName: "Metricia", familyName: "Scrapington", dateOfBirth: "1987-06-05", gender: "FEMALE" } });

beforeAll(async () => {
  app = await createTestApp();
  limited = await createTestApp({ env: { RATE_LIMIT_USER_PER_MINUTE: "2" } });
  const officer = await app.token("DUR", Role.OFFICER, { sub: "pc-metrics", collarNumber: "8080" });
  const rec = await app.gql(RECORD, { input: FORM }, officer);
  incidentId = rec.data!.recordNaloxoneAdministration.id;
  personId = rec.data!.recordNaloxoneAdministration.person.id;
  await app.gql(`query Metricia_Scrapington_19870605 { incident(id: "${incidentId}") { id person { givenName } } }`, {}, officer);
  await app.gql(`{ agencies { code } }`, {}, await app.token("HUB", Role.ADMIN));
  await app.gql(`{ agencies { code } }`, {}, officer); // FORBIDDEN
  await app.gql(`{ incident(id: "${personId}") { id } }`, {}, officer); // NOT_FOUND
  await app.gql(`{ incidents(first: 1000) { edges { node { id } } } }`, {}, officer); // BAD_USER_INPUT
  await app.gql(`{ nonsense`, {}, officer);

  boss = new PgBoss({ connectionString: app.db.url, schema: "pgboss", max: 2 });
  boss.on("error", () => undefined);
  await boss.start();
  await boss.createQueue("metrics-probe");
  for (let k = 0; k < 3; k++) await boss.send("metrics-probe", {});

  const res = await request(app.hub.app).get("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  scrape = res.text;
}, 60_000);
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await limited?.close();
  await app?.close();
});

const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

describe("GET /metrics", () => {
  it("parses as Prometheus text and counts requests by operation and outcome", () => {
    const { samples, types } = parseExposition(scrape);
    expect(types.get("naloxone_hub_graphql_requests_total")).toBe("counter");
    expect(types.get("naloxone_hub_graphql_request_duration_seconds")).toBe("histogram");
    const R = "naloxone_hub_graphql_requests_total";
    expect(value(samples, R, { type: "mutation", operation: "recordNaloxoneAdministration", outcome: "OK" })).toBe(1);
    expect(value(samples, R, { type: "query", operation: "agencies", outcome: "OK" })).toBe(1);
    expect(value(samples, R, { type: "query", operation: "agencies", outcome: "FORBIDDEN" })).toBe(1);
    expect(value(samples, R, { operation: "incident", outcome: "NOT_FOUND" })).toBe(1);
    expect(value(samples, R, { operation: "incidents", outcome: "BAD_USER_INPUT" })).toBe(1);
    expect(value(samples, R, { operation: "unparsed" })).toBe(1);
    expect(value(samples, "naloxone_hub_graphql_request_duration_seconds_count", { operation: "agencies" })).toBe(2);
    expect(samples.some((s) => s.name === "naloxone_hub_graphql_request_duration_seconds_bucket" && s.labels.le === "+Inf")).toBe(true);
  });

  it("reports the database pool and the job queue depth", () => {
    const { samples } = parseExposition(scrape);
    expect(value(samples, "naloxone_hub_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === "naloxone_hub_db_pool_connections" && s.labels.state === "waiting")).toBe(true);
    expect(value(samples, "naloxone_hub_job_queue_jobs", { queue: "metrics-probe", state: "created" })).toBe(3);
  });

  it("counts rate-limited requests", async () => {
    const token = await limited.token("PH-ENG", Role.ANALYST);
    const codes: number[] = [];
    for (let k = 0; k < 4; k++) codes.push((await limited.gql(`{ alerts { id } }`, {}, token)).status);
    expect(codes.filter((c) => c === 429)).toHaveLength(2);
    const { samples } = parseExposition((await request(limited.hub.app).get("/metrics")).text);
    expect(value(samples, "naloxone_hub_rate_limited_total", { limiter: "user" })).toBe(2);
  });

  it("carries no name, date of birth, id, idempotency key or client-chosen operation name", () => {
    for (const secret of ["Metricia", "Scrapington", "1987-06-05", "19870605", incidentId, personId, FORM.idempotencyKey, "pc-metrics", "8080"]) {
      expect(scrape).not.toContain(secret);
    }
    expect(scrape).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(scrape).not.toMatch(/\b(19|20)\d{2}-\d{2}-\d{2}\b/);
    // Every label value is a short identifier from a bounded set the hub defines.
    for (const s of parseExposition(scrape).samples) {
      for (const [k, v] of Object.entries(s.labels)) expect(`${k}=${v}`).toMatch(/^[a-z_]+=[A-Za-z0-9_.:+-]{1,64}$/);
    }
  });

  it("exposes the audit seal lag: the age of the oldest unsealed audit row, from the database", async () => {
    const { samples: first } = parseExposition(scrape);
    expect(first.filter((x) => x.name === "naloxone_hub_audit_seal_lag_seconds")).toHaveLength(1);
    expect(value(first, "naloxone_hub_audit_seal_lag_seconds", {})).toBeGreaterThanOrEqual(0);
    // The source can be replaced (a process running its own sealer may report what it measured).
    app.hub.metrics.setAuditSealLagSource(async () => 42);
    const { samples } = parseExposition((await request(app.hub.app).get("/metrics")).text);
    expect(value(samples, "naloxone_hub_audit_seal_lag_seconds", {})).toBe(42);
  });

  it("requires METRICS_TOKEN when one is set", async () => {
    const guarded = await createTestApp({ demo: false, env: { METRICS_TOKEN: "metrics-token-0123456789" } });
    try {
      expect((await request(guarded.hub.app).get("/metrics")).status).toBe(401);
      expect((await request(guarded.hub.app).get("/metrics").set("authorization", "Bearer wrong-token-0123456789")).status).toBe(401);
      expect((await request(guarded.hub.app).get("/metrics").set("authorization", "Bearer metrics-token-0123456789")).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
