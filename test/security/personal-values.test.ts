import { getNamedType, isCompositeType, isEnumType, isInputObjectType, isListType, isNonNullType, parseType, print, type GraphQLField, type GraphQLInputType } from "graphql";
import type { AddressInfo } from "node:net";
import request from "supertest";
import WebSocket from "ws";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { ACTOR_FOR, makeFixture, VALID, type Fixture } from "./fixtures";
import { inputPaths, setAt } from "./schema-paths";

/**
 * Personal-looking values (a synthetic name, a date of birth in several spellings) sent into every
 * argument and input field of every query and mutation of the built schema, as variables and as
 * literals typed into the document. No error message, no error extension and no log line may carry
 * any of them back. Operations are read from the schema, so a new one is covered without touching
 * this file.
 */
const NAME = "Quentina Zzyzxfake";
const PROBES: unknown[] = [NAME, "1983-04-12", "1983-04-12T00:00:00Z", "12/04/1983", `${NAME} 1983-04-12`];
/** A bare token typed into the document where a value goes (an enum position, an Int, an ID…). */
const BARE = "QuentinaZzyzxfake";
const NEEDLES = ["Quentina", "Zzyzxfake", "1983-04-12", "12/04/1983", "1983-04-12T00"];

/** Who asks each query (the permission map admits them, so values reach the services too). */
const QUERY_ACTOR: Record<string, { agency: string; role: Role }> = {
  agencies: { agency: "HUB", role: Role.ADMIN },
  routes: { agency: "HUB", role: Role.ADMIN },
  incident: { agency: "CLE", role: Role.OFFICER },
  incidents: { agency: "CLE", role: Role.OFFICER },
  person: { agency: "CLE", role: Role.OFFICER },
  explainAccess: { agency: "CLE", role: Role.OFFICER },
  emergencyGrants: { agency: "HUB", role: Role.AUDITOR },
  auditEvents: { agency: "HUB", role: Role.AUDITOR },
  accessReport: { agency: "HUB", role: Role.AUDITOR },
  verifyAuditChain: { agency: "HUB", role: Role.AUDITOR },
  referrals: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  referral: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  reviews: { agency: "HRT-SW", role: Role.HARM_REDUCTION_LEAD },
  review: { agency: "HRT-SW", role: Role.HARM_REDUCTION_LEAD },
  taskforceSummaries: { agency: "DPT-SW", role: Role.ANALYST },
  prisonReleases: { agency: "PRISON-5", role: Role.PRISON_NALOXONE_LEAD },
  referralReceived: { agency: "TS-TEESSIDE", role: Role.TREATMENT_WORKER },
  reviewDue: { agency: "HRT-SW", role: Role.HARM_REDUCTION_LEAD },
  alertRaised: { agency: "PH-ENG", role: Role.ANALYST },
};

let app: TestApp;
let fx: Fixture;
const logLines: string[] = [];
const tokens = new Map<string, string>();
beforeAll(async () => {
  app = await createTestApp({ logLines, env: { LOG_LEVEL: "debug" } });
  fx = await makeFixture(app);
  const actors = [...Object.values(ACTOR_FOR), ...Object.values(QUERY_ACTOR), { agency: "PH-ENG", role: Role.ANALYST }];
  for (const { agency, role } of actors) if (!tokens.has(`${agency}/${role}`)) tokens.set(`${agency}/${role}`, await app.token(agency, role, { sub: `pii-${role.toLowerCase()}`, collarNumber: "9999" }));
});
afterAll(() => app?.close());

type Op = { kind: "query" | "mutation" | "subscription"; field: GraphQLField<unknown, unknown> };
const operations = (): Op[] => [
  ...Object.values(app.hub.schema.getQueryType()!.getFields()).map((field) => ({ kind: "query" as const, field })),
  ...Object.values(app.hub.schema.getMutationType()!.getFields()).map((field) => ({ kind: "mutation" as const, field })),
];

function tokenFor(op: Op): string {
  const a = ACTOR_FOR[op.field.name] ?? QUERY_ACTOR[op.field.name] ?? { agency: "PH-ENG", role: Role.ANALYST };
  return tokens.get(`${a.agency}/${a.role}`)!;
}

const selection = (f: GraphQLField<unknown, unknown>) => (isCompositeType(getNamedType(f.type)) ? " { __typename }" : "");

function variablesDocument(op: Op): string {
  const defs = op.field.args.map((a) => `$${a.name}: ${print(parseType(String(a.type)))}`).join(", ");
  const args = op.field.args.map((a) => `${a.name}: $${a.name}`).join(", ");
  return `${op.kind} Pii${defs ? `(${defs})` : ""} { ${op.field.name}${args ? `(${args})` : ""}${selection(op.field)} }`;
}

/** A JS value as a GraphQL literal; `bare` strings are written as bare names (enum-style tokens). */
function literal(v: unknown, bare: boolean): string {
  if (Array.isArray(v)) return `[${v.map((x) => literal(x, bare)).join(", ")}]`;
  if (v && typeof v === "object") return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${literal(x, bare)}`).join(", ")} }`;
  if (typeof v === "string" && bare && v === BARE) return BARE;
  return JSON.stringify(v);
}

function literalDocument(op: Op, path: (string | number)[], value: unknown, bare: boolean): string {
  const argName = path[0] as string;
  const arg = setAt({}, path, value)[argName];
  return `${op.kind} Pii { ${op.field.name}(${argName}: ${literal(arg, bare)})${selection(op.field)} }`;
}

function leaks(text: string): string[] {
  return NEEDLES.filter((n) => text.includes(n));
}

const isLeaf = (t: GraphQLInputType) => {
  const n = isNonNullType(t) ? t.ofType : t;
  return !isListType(n) && !isInputObjectType(n);
};

describe("personal-looking values in every argument of every operation", () => {
  it("derives the operations from the schema", () => {
    expect(operations().filter((o) => o.kind === "query").length).toBeGreaterThanOrEqual(20);
    expect(operations().filter((o) => o.kind === "mutation").length).toBeGreaterThanOrEqual(18);
  });

  it("never come back in an error message, an error extension or a log line", async () => {
    const found: string[] = [];
    let sent = 0;
    for (const op of operations()) {
      const token = tokenFor(op);
      const base = op.kind === "mutation" && VALID[op.field.name] ? VALID[op.field.name](fx) : {};
      const doc = variablesDocument(op);
      for (const p of inputPaths(op.field)) {
        const leaf = isLeaf(p.type);
        const named = getNamedType(p.type);
        const cases: Array<{ how: string; body: { query: string; variables?: Record<string, unknown> } }> = [];
        for (const probe of leaf ? PROBES : [NAME]) {
          cases.push({ how: `variables ${JSON.stringify(probe)}`, body: { query: doc, variables: setAt(base, p.path, probe) } });
          if (leaf) cases.push({ how: `literal ${JSON.stringify(probe)}`, body: { query: literalDocument(op, p.path, probe, false) } });
        }
        if (leaf) cases.push({ how: `bare ${BARE}${isEnumType(named) ? " (enum position)" : ""}`, body: { query: literalDocument(op, p.path, BARE, true) } });
        for (const c of cases) {
          const before = logLines.length;
          const res = await request(app.hub.app).post("/graphql").set("content-type", "application/json").set("authorization", `Bearer ${token}`).send(c.body);
          sent++;
          const errors = res.body?.errors ?? [];
          const where = `${op.field.name}(${p.path.join(".")}) ${c.how}`;
          for (const e of errors) {
            for (const n of leaks(String(e.message))) found.push(`${where}: message carries ${n}: ${e.message}`);
            for (const n of leaks(JSON.stringify(e.extensions ?? {}))) found.push(`${where}: extensions carry ${n}: ${JSON.stringify(e.extensions)}`);
          }
          for (const n of leaks(JSON.stringify(res.body?.extensions ?? {}))) found.push(`${where}: response extensions carry ${n}`);
          if (res.status >= 400 && !res.body?.errors) for (const n of leaks(res.text)) found.push(`${where}: HTTP ${res.status} body carries ${n}`);
          for (const line of logLines.slice(before)) for (const n of leaks(line)) found.push(`${where}: log line carries ${n}: ${line.slice(0, 300)}`);
        }
      }
    }
    expect(found.slice(0, 40)).toEqual([]);
    expect(sent).toBeGreaterThan(500);
    // The log was really written (so the scan of it means something).
    expect(logLines.some((l) => l.includes('"graphql"'))).toBe(true);
  }, 300_000);

  it("nor over graphql-ws, for every argument of every subscription", async () => {
    await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", () => resolve()));
    const url = `ws://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}/graphql`;
    const subscriptions = Object.values(app.hub.schema.getSubscriptionType()!.getFields()).map((field) => ({ kind: "subscription" as const, field }));
    expect(subscriptions.length).toBeGreaterThanOrEqual(3);
    const found: string[] = [];
    let sent = 0;
    for (const op of subscriptions) {
      const ws = new WebSocket(url, "graphql-transport-ws");
      const messages: Array<{ id?: string; type: string; payload?: unknown }> = [];
      ws.on("message", (m) => messages.push(JSON.parse(m.toString())));
      await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
      ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${tokenFor(op)}` } }));
      for (let i = 0; i < 100 && !messages.some((m) => m.type === "connection_ack"); i++) await new Promise((r) => setTimeout(r, 20));
      expect(messages.some((m) => m.type === "connection_ack")).toBe(true);
      const before = logLines.length;
      const cases = new Map<string, string>();
      for (const p of inputPaths(op.field)) {
        const leaf = isLeaf(p.type);
        for (const probe of leaf ? PROBES : [NAME]) {
          const id = `v${sent++}`;
          cases.set(id, `${op.field.name}(${p.path.join(".")}) variables ${JSON.stringify(probe)}`);
          ws.send(JSON.stringify({ id, type: "subscribe", payload: { query: variablesDocument(op), variables: setAt({}, p.path, probe) } }));
          if (leaf) {
            const lid = `l${sent++}`;
            cases.set(lid, `${op.field.name}(${p.path.join(".")}) literal ${JSON.stringify(probe)}`);
            ws.send(JSON.stringify({ id: lid, type: "subscribe", payload: { query: literalDocument(op, p.path, probe, false) } }));
          }
        }
        if (leaf) {
          const bid = `b${sent++}`;
          cases.set(bid, `${op.field.name}(${p.path.join(".")}) bare ${BARE}`);
          ws.send(JSON.stringify({ id: bid, type: "subscribe", payload: { query: literalDocument(op, p.path, BARE, true) } }));
        }
      }
      await new Promise((r) => setTimeout(r, 500));
      for (const m of messages) {
        if (m.type === "connection_ack") continue;
        for (const n of leaks(JSON.stringify(m.payload ?? null))) found.push(`${cases.get(m.id ?? "") ?? m.type}: ${m.type} carries ${n}: ${JSON.stringify(m.payload).slice(0, 300)}`);
      }
      // Every refused subscription answered with an error, not silence.
      if (cases.size > 0) expect(messages.filter((m) => m.type === "error").length).toBeGreaterThan(0);
      for (const line of logLines.slice(before)) for (const n of leaks(line)) found.push(`${op.field.name}: log line carries ${n}: ${line.slice(0, 300)}`);
      ws.close();
    }
    expect(found.slice(0, 40)).toEqual([]);
    expect(sent).toBeGreaterThan(10);
  });
});
