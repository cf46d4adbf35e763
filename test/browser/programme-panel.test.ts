import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { Role } from "../../src/core/auth/roles";
import { seedDemo } from "../../src/demo/seed";
import { formatCount } from "../../dashboard/src/format";
import { createTestApp, type TestApp } from "../helpers/app";

// The dashboard's programme panel on the demo data: its tiles and tables show what programmeKpis
// answers for the same period, suppressed counts in words, and Lancashire as "data not received".

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROOT = path.join(__dirname, "..", "..");

let app: TestApp;
let origin: string;
let analyst: string;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "dist", "dashboard", "index.html"))) throw new Error("dist/dashboard is missing: run `npm run build`");
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  app = await createTestApp({ demo: false });
  await seedDemo({ config: app.config, dataSource: app.ds, clock: app.clock, pubsub: app.pubsub });
  await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}`;
  analyst = await app.token("PH-ENG", Role.ANALYST);
  userDataDir = mkdtempSync(path.join(os.tmpdir(), "nh-chromium-programme-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1440, height: 900 },
    locale: "en-GB",
    timezoneId: "UTC",
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
  page.on("pageerror", (e) => void problems.push(`page error: ${e.message}`));
}, 180_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await app?.close();
});

describe("dashboard programme panel", () => {
  it("shows the programme KPIs the API publishes for the page's period", async () => {
    await page.goto(`${origin}/dashboard/`);
    await page.getByLabel("Bearer token").fill(analyst);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForSelector("body[data-loaded=true]");
    await page.waitForSelector("[data-programme-kpi=trained]");
    const form = page.locator("#filters");
    const filter = { from: await form.getAttribute("data-from"), to: await form.getAttribute("data-to") };
    const r = await app.gql(`query($f: ProgrammeKpiFilter) { programmeKpis(filter: $f) { total { trained { count suppressed } carrying { count suppressed } kitsExpiring { count suppressed } } } }`, { f: filter }, analyst);
    const t = r.data!.programmeKpis.total;
    await expect(page.locator("[data-programme-kpi=trained] .value").textContent()).resolves.toBe(formatCount(t.trained));
    await expect(page.locator("[data-programme-kpi=carrying] .value").textContent()).resolves.toBe(formatCount(t.carrying));
    await expect(page.locator("[data-programme-kpi=expiring] .value").textContent()).resolves.toBe(formatCount(t.kitsExpiring));
    const panel = await page.locator("#programme").textContent();
    expect(panel).toContain("data not received"); // Lancashire
    expect(panel).toContain("Agreed not implemented");
    expect(panel).toContain("Initial rollout");
    expect(panel).toContain("NFK (distribution paused)");
    expect(problems).toEqual([]);
    await page.locator("#programme-panel").screenshot({ path: path.join(os.tmpdir(), "nh-programme-panel.png") });
  });
});
