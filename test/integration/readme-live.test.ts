import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Role } from "../../src/core/auth/roles";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// The README's graphql-ws snippet, saved as a file and run by this Node (20) exactly as written,
// receives a referral as it arrives.

const ROOT = path.join(__dirname, "..", "..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");
const snippet = /### Live updates[\s\S]*?```js\n([\s\S]*?)```/.exec(README)![1];

let app: TestApp;
let child: ChildProcess | undefined;
const file = path.join(ROOT, "node_modules", ".cache", `readme-live-${process.pid}.mjs`);
beforeAll(async () => {
  app = await createTestApp();
  await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", resolve));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, snippet);
});
afterAll(async () => {
  child?.kill("SIGTERM");
  rmSync(file, { force: true });
  await app.close();
});

it("runs on Node 20 as written and prints the referral that arrives", async () => {
  expect(process.versions.node.split(".")[0]).toBe("20");
  const port = (app.hub.httpServer.address() as AddressInfo).port;
  const token = await app.token("TS-TEESSIDE", Role.TREATMENT_WORKER, { sub: "tw-live" });
  child = spawn(process.execPath, [file], { cwd: ROOT, env: { ...process.env, TOKEN: token, HUB_WS_URL: `ws://127.0.0.1:${port}/graphql` } });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  // Referrals for Teesside until one reaches the snippet (the first may come before it has connected).
  const officer = await app.token("CLE", Role.OFFICER, { sub: "pc-live" });
  for (let i = 0; i < 20 && !out.includes("referralReceived"); i++) {
    const inc = await app.gql(RECORD, { input: validForm({ areaCode: "CLE-STOCKTON", location: { lat: 54.57, lng: -1.32 }, consent: { decision: "GIVEN", purposes: ["TREATMENT_REFERRAL"], recipientKinds: ["TREATMENT_SERVICE"], method: "VERBAL" } }) }, officer);
    expect(inc.errors).toBeUndefined();
    for (let k = 0; k < 10 && !out.includes("referralReceived"); k++) await new Promise((r) => setTimeout(r, 100));
  }
  expect(err).toBe("");
  const event = JSON.parse(out.trim().split("\n")[0]);
  expect(event.referralReceived).toMatchObject({ pathway: "DIRECT_TREATMENT", person: { givenName: "Testy" } });
}, 60_000);

