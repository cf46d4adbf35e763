import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createClient } from "graphql-ws";
import request from "supertest";
import WebSocket from "ws";
import { Role } from "../../src/core/auth/roles";
import { AlertRaisedDocument, KpisDocument } from "../../dashboard/src/generated/graphql";
import { createTestApp, type TestApp } from "../helpers/app";
import { readmeExamples } from "../helpers/readme";

// With TRUSTED_DOCUMENTS_ONLY=true the hub runs only the dashboard's and the README's operations
// (schema/trusted-documents.json, made by `npm run codegen`, which CI checks is current).

const ROOT = path.join(__dirname, "..", "..");
let app: TestApp;
let analyst: string;
beforeAll(async () => {
  app = await createTestApp({ env: { TRUSTED_DOCUMENTS_ONLY: "true" } });
  analyst = await app.token("PH-ENG", Role.ANALYST);
  await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", resolve));
});
afterAll(() => app.close());

describe("TRUSTED_DOCUMENTS_ONLY", () => {
  it("runs the dashboard's operations, also reformatted", async () => {
    const r = await app.gql(KpisDocument, { filter: {} }, analyst);
    expect(r.errors).toBeUndefined();
    expect(r.data!.kpis.administrations).toBeDefined();
    const squashed = (KpisDocument as string).replace(/\s+/g, "  ");
    expect((await app.gql(`# a comment\n${squashed}`, { filter: {} }, analyst)).errors).toBeUndefined();
  });

  it("runs the README's examples", async () => {
    const ex = readmeExamples(readFileSync(path.join(ROOT, "README.md"), "utf8")).find((e) => e.source.includes("areaCounts("))!;
    const r = await app.gql(ex.source, {}, analyst);
    expect(r.errors).toBeUndefined();
  });

  it("refuses any other operation with FORBIDDEN (HTTP 403), before it runs", async () => {
    for (const query of [`{ __typename }`, `query { kpis { administrations { count } } }`, `query Kpis { kpis { suppression { max } } }`]) {
      const res = await request(app.hub.app).post("/graphql").set("authorization", `Bearer ${analyst}`).send({ query });
      expect([query, res.status, res.body.errors?.[0]?.extensions?.code]).toEqual([query, 403, "FORBIDDEN"]);
      expect(res.body.data).toBeUndefined();
    }
  });

  it("still serves the CSV exports, which the hub runs itself", async () => {
    expect((await request(app.hub.app).get("/export/kpis.csv").set("authorization", `Bearer ${analyst}`)).status).toBe(200);
  });

  it("refuses an untrusted subscription and accepts the dashboard's", async () => {
    const url = `ws://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}/graphql`;
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, onNonLazyError: () => undefined, connectionParams: { authorization: `Bearer ${analyst}` } });
    try {
      const outcome = (query: string) =>
        new Promise<string>((resolve) => {
          const stop = client.subscribe({ query }, { next: () => resolve("event"), error: (e) => resolve(JSON.stringify(e)), complete: () => resolve("complete") });
          setTimeout(() => {
            stop();
            resolve("open");
          }, 800);
        });
      expect(await outcome(`subscription { alertRaised { id } }`)).toContain("trusted documents");
      expect(await outcome(AlertRaisedDocument)).toBe("open");
    } finally {
      await client.dispose();
    }
  });
});

describe("the manifest and the generated dashboard code", () => {
  it("are what `npm run codegen` makes from the schema, the dashboard's operations and the README", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "codegen.mjs"), "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 60_000);
});
