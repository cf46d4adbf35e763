import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { Role } from "../../src/core/auth/roles";
import { seedDemo } from "../../src/demo/seed";
import { formatCount, formatMinutes, formatRatio, formatShare } from "../../dashboard/src/format";
import { createTestApp, type TestApp } from "../helpers/app";
import { RECORD, validForm } from "../helpers/forms";

// The partner dashboard end to end: a hub with the demo data on its own database, the dashboard as
// `npm run build` made it, and Debian's Chromium. The test reads the figures through the API itself
// and compares them with what the page shows.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROOT = path.join(__dirname, "..", "..");
const SCREENSHOT = path.join(ROOT, "docs", "dashboard.png");
const CLUSTER_POINT = { lat: 54.784, lng: -1.356 }; // Easington, Durham

let app: TestApp;
let origin: string;
let analyst: string;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
const foreignRequests: string[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "dist", "dashboard", "index.html"))) throw new Error("dist/dashboard is missing: run `npm run build` (npm run test:browser does)");
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);

  // The hub with the full demo data (agencies, routes, administrations, a synthetic spike in
  // Middlesbrough and last month's prison releases), listening on a free port.
  app = await createTestApp({ demo: false });
  await seedDemo({ config: app.config, dataSource: app.ds, clock: app.clock, pubsub: app.pubsub });
  await new Promise<void>((resolve) => app.hub.httpServer.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(app.hub.httpServer.address() as AddressInfo).port}`;
  analyst = await app.token("PH-ENG", Role.ANALYST);

  userDataDir = mkdtempSync(path.join(os.tmpdir(), "nh-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    locale: "en-GB",
    timezoneId: "UTC",
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
  page.on("pageerror", (e) => void problems.push(`page error: ${e.message}`));
  page.on("request", (r) => void (!r.url().startsWith(origin) && !r.url().startsWith("ws://127.0.0.1") && !r.url().startsWith("data:") && foreignRequests.push(r.url())));
}, 180_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await app?.close();
});

const api = async <T = any>(query: string, variables: Record<string, unknown>): Promise<T> => {
  const r = await app.gql<T>(query, variables, analyst);
  expect(r.errors).toBeUndefined();
  return r.data!;
};

describe("partner dashboard", () => {
  it("is served by the hub with a self-only Content-Security-Policy", async () => {
    const res = await page.goto(`${origin}/dashboard`);
    expect(res!.status()).toBe(200);
    expect(page.url()).toBe(`${origin}/dashboard/`);
    const csp = res!.headers()["content-security-policy"];
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).toContain(`connect-src 'self' ws://${new URL(origin).host} wss://${new URL(origin).host}`);
    await expect(page.getByLabel("Bearer token").isVisible()).resolves.toBe(true);
  });

  it("signs in, by keyboard alone, with a pasted token kept in sessionStorage only", async () => {
    const focused = () => page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.className)");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("skip");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("token");
    await page.keyboard.insertText(analyst); // as a paste
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForSelector("body[data-loaded=true]", { timeout: 30_000 });
    await page.getByText("Live: connected").waitFor({ timeout: 15_000 });
    const stored = await page.evaluate("[sessionStorage.length, localStorage.length, document.cookie]");
    expect(stored).toEqual([1, 0, ""]);
    // Focus moves to the first filter, ready for the keyboard.
    expect(await focused()).toBe("window");
  });

  it("draws one SVG path per heat-map cell from the API, suppressed cells hatched and never as zero", async () => {
    const from = await page.locator("#filters").getAttribute("data-from");
    const to = await page.locator("#filters").getAttribute("data-to");
    const { heatmap } = await api(`query($f: AggregateFilter) { heatmap(filter: $f, resolution: 5) { cells { h3 count suppressed } } }`, { f: { from, to } });
    const suppressed = heatmap.cells.filter((c: { suppressed: boolean }) => c.suppressed).length;
    expect(heatmap.cells.length).toBeGreaterThan(5);
    expect(suppressed).toBeGreaterThan(0);
    expect(await page.locator("#map path.cell").count()).toBe(heatmap.cells.length);
    expect(await page.locator("#map path.cell.suppressed").count()).toBe(suppressed);
    expect(await page.locator("#map path.cell.suppressed").first().getAttribute("fill")).toBe("url(#hatch-map)");
    await expect(page.locator("#legend").textContent()).resolves.toContain("suppressed");
    // The text alternative names the busiest published cell with its count.
    const top = heatmap.cells.filter((c: { suppressed: boolean }) => !c.suppressed).sort((a: any, b: any) => b.count - a.count)[0];
    await expect(page.locator("#cells-rows tr").first().textContent()).resolves.toContain(top.h3);
  });

  it("shows the same KPI figures as the API for the same period", async () => {
    const from = await page.locator("#filters").getAttribute("data-from");
    const to = await page.locator("#filters").getAttribute("data-to");
    const { kpis: k } = await api(
      `query($f: KpiFilter) { kpis(filter: $f) { administrations { count suppressed } overdosesReversed { count suppressed } reversedShare
        dosesPerAdministration firstAidShare ambulanceResponseMedianMinutes seenByParamedicsShare resupplyRequests { count suppressed } } }`,
      { f: { from, to } },
    );
    expect(k.administrations.count).toBeGreaterThan(50);
    const expected: Record<string, string> = {
      administrations: formatCount(k.administrations),
      overdosesReversed: formatCount(k.overdosesReversed),
      reversedShare: formatShare(k.reversedShare),
      dosesPerAdministration: formatRatio(k.dosesPerAdministration),
      firstAidShare: formatShare(k.firstAidShare),
      ambulanceResponseMedianMinutes: formatMinutes(k.ambulanceResponseMedianMinutes),
      seenByParamedicsShare: formatShare(k.seenByParamedicsShare),
      resupplyRequests: formatCount(k.resupplyRequests),
    };
    for (const [kpi, text] of Object.entries(expected)) {
      await expect(page.locator(`[data-kpi=${kpi}] .value`).textContent()).resolves.toBe(text);
    }
    expect(expected.administrations).toMatch(/^\d[\d,]*$/);
  });

  it("draws the weekly series (suppressed weeks hatched) and prison coverage with the 12% and 42% reference lines, as the API gives them", async () => {
    const from = await page.locator("#filters").getAttribute("data-from");
    const to = await page.locator("#filters").getAttribute("data-to");
    const { administrationsByWeek: s } = await api(`query($f: AggregateFilter) { administrationsByWeek(filter: $f) { weeks { weekStart administrations { count suppressed } } } }`, { f: { from, to } });
    const weeks = s.weeks as Array<{ weekStart: string; administrations: { count: number | null; suppressed: boolean } }>;
    expect(weeks.length).toBeGreaterThanOrEqual(52);
    expect(await page.locator("#weekly rect.suppressed").count()).toBe(weeks.filter((w) => w.administrations.suppressed).length);
    await expect(page.locator("#weekly-rows tr").allTextContents()).resolves.toEqual(weeks.map((w) => `${w.weekStart}${formatCount(w.administrations)}`));

    await expect(page.locator("#prisons").textContent()).resolves.toMatch(/national 12%[\s\S]*Forward Trust 42%/);
    // The prison panel shows the last whole month (prison coverage is published by whole months).
    const prisonFrom = await page.locator("#prisons").getAttribute("data-from");
    const prisonTo = await page.locator("#prisons").getAttribute("data-to");
    const shown = await page.locator("#prisons-rows tr").allTextContents();
    for (const prison of ["PRISON-3", "PRISON-5"]) {
      const { prisonNaloxoneCoverage: c } = await api(
        `query($f: PrisonCoverageFilter) { prisonNaloxoneCoverage(filter: $f) { total { opioidUsersReleased { count suppressed } releasedWithKit { count suppressed } share } } }`,
        { f: { from: prisonFrom, to: prisonTo, prisonCodes: [prison] } },
      );
      const t = c.total;
      expect(shown).toContain(`${prison}${formatCount(t.opioidUsersReleased)}${formatCount(t.releasedWithKit)}${formatShare(t.share)}`);
    }
    // The demo's prisons sit near the two references.
    expect(shown).toEqual(expect.arrayContaining([expect.stringMatching(/^PRISON-3.*12%$/), expect.stringMatching(/^PRISON-5.*42%$/)]));
  });

  it("filters by substance and time window and redraws from the API", async () => {
    await page.getByLabel("Substance").selectOption("NITAZENES");
    await page.waitForFunction(`/nitazenes only/.test(document.getElementById("period").textContent)`);
    await page.waitForSelector("body[aria-busy=false]");
    const from = await page.locator("#filters").getAttribute("data-from");
    const to = await page.locator("#filters").getAttribute("data-to");
    const { heatmap } = await api(`query($f: AggregateFilter) { heatmap(filter: $f, resolution: 5) { cells { h3 } } }`, { f: { from, to, substances: ["NITAZENES"] } });
    expect(await page.locator("#map path.cell").count()).toBe(heatmap.cells.length);
    await page.getByLabel("Substance").selectOption("");
    await page.waitForFunction(`!/only/.test(document.getElementById("period").textContent)`);
    await page.waitForSelector("body[aria-busy=false]");

    // Last 4 weeks: 28 days ending at the end of today (UTC), so 4 or 5 Monday weeks.
    const before = await page.locator("#filters").getAttribute("data-from");
    await page.getByLabel("Time window").selectOption("4");
    await page.waitForFunction(`document.getElementById("filters").dataset.from !== ${JSON.stringify(before)}`);
    await page.waitForSelector("body[aria-busy=false]");
    const [f4, t4] = [await page.locator("#filters").getAttribute("data-from"), await page.locator("#filters").getAttribute("data-to")];
    expect(new Date(t4!).getTime() - new Date(f4!).getTime()).toBe(28 * 24 * 3600_000);
    const recent = await api(`query($f: AggregateFilter) { heatmap(filter: $f, resolution: 5) { cells { h3 } } administrationsByWeek(filter: $f) { weeks { weekStart } } }`, { f: { from: f4, to: t4 } });
    expect(await page.locator("#map path.cell").count()).toBe(recent.heatmap.cells.length);
    expect(await page.locator("#weekly-rows tr").count()).toBe(recent.administrationsByWeek.weeks.length);
    expect(recent.administrationsByWeek.weeks.length).toBeGreaterThanOrEqual(4);
    expect(recent.administrationsByWeek.weeks.length).toBeLessThanOrEqual(5);
    await page.getByLabel("Time window").selectOption("52");
    await page.waitForFunction(`document.getElementById("filters").dataset.from === ${JSON.stringify(before)}`);
    await page.waitForSelector("body[aria-busy=false]");
  });

  const filtersOnPage = async () => ({
    from: (await page.locator("#filters").getAttribute("data-from"))!,
    to: (await page.locator("#filters").getAttribute("data-to"))!,
    areas: ((await page.locator("#filters").getAttribute("data-areas")) || "").split(",").filter(Boolean),
  });
  const settle = () => page.waitForSelector("body[aria-busy=false]");
  const choose = async (label: string, value: string) => {
    const before = await page.evaluate("location.search");
    await page.getByLabel(label).selectOption(value);
    await page.waitForFunction(`location.search !== ${JSON.stringify(before)}`);
    await settle();
  };

  it("filters by force or area, and every panel honours it (KPIs, inter-agency, map, series)", async () => {
    await choose("Area", "force:CLE");
    const { from, to, areas } = await filtersOnPage();
    expect(areas.length).toBeGreaterThan(1);
    expect(areas.every((a) => a.startsWith("CLE-"))).toBe(true);
    const d = await api(
      `query($f: KpiFilter, $a: AggregateFilter) { kpis(filter: $f) { administrations { count suppressed } interAgency { referralsMade { count suppressed } } }
        heatmap(filter: $a, resolution: 5) { cells { h3 } } administrationsByWeek(filter: $a) { weeks { weekStart administrations { count suppressed } } } }`,
      { f: { from, to, areaCodes: areas }, a: { from, to, areaCodes: areas } },
    );
    await expect(page.locator("[data-kpi=administrations] .value").textContent()).resolves.toBe(formatCount(d.kpis.administrations));
    await expect(page.locator("#inter-agency [data-kpi=referralsMade] .value").textContent()).resolves.toBe(formatCount(d.kpis.interAgency.referralsMade));
    expect(await page.locator("#map path.cell").count()).toBe(d.heatmap.cells.length);
    await expect(page.locator("#weekly-rows tr").allTextContents()).resolves.toEqual(d.administrationsByWeek.weeks.map((w: any) => `${w.weekStart}${formatCount(w.administrations)}`));
    await expect(page.locator("#period").textContent()).resolves.toMatch(/^Covers \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC\), CLE areas$/);
  });

  it("takes the substance filter to every panel that has substances, and says which do not", async () => {
    await choose("Substance", "NITAZENES");
    const { from, to, areas } = await filtersOnPage();
    const f = { from, to, areaCodes: areas, substances: ["NITAZENES"] };
    const d = await api(
      `query($f: KpiFilter, $a: AggregateFilter) { kpis(filter: $f) { administrations { count suppressed } interAgency { incidents { count suppressed } } }
        heatmap(filter: $a, resolution: 5) { cells { h3 } } administrationsByWeek(filter: $a) { weeks { weekStart administrations { count suppressed } } } }`,
      { f, a: f },
    );
    await expect(page.locator("[data-kpi=administrations] .value").textContent()).resolves.toBe(formatCount(d.kpis.administrations));
    await expect(page.locator("#inter-agency [data-kpi=incidents] .value").textContent()).resolves.toBe(formatCount(d.kpis.interAgency.incidents));
    expect(await page.locator("#map path.cell").count()).toBe(d.heatmap.cells.length);
    await expect(page.locator("#weekly-rows tr").allTextContents()).resolves.toEqual(d.administrationsByWeek.weeks.map((w: any) => `${w.weekStart}${formatCount(w.administrations)}`));
    await expect(page.locator("#prisons-note").textContent()).resolves.toMatch(/not by area or substance/);
  });

  it("keeps one colour scale and legend whatever the view, over a land outline with place names", async () => {
    const legend = await page.locator("#legend").textContent();
    const fills = await page.locator("#map path.cell:not(.suppressed)").evaluateAll((ps) => ps.map((p) => [p.getAttribute("data-class"), p.getAttribute("fill")]));
    await choose("Area", "");
    await choose("Substance", "");
    await expect(page.locator("#legend").textContent()).resolves.toBe(legend);
    const wide = await page.locator("#map path.cell:not(.suppressed)").evaluateAll((ps) => ps.map((p) => [p.getAttribute("data-class"), p.getAttribute("fill")]));
    // A class always has the same colour.
    const colour = new Map<string, string>();
    for (const [c, fill] of [...fills, ...wide]) {
      if (colour.has(c!)) expect(colour.get(c!)).toBe(fill);
      colour.set(c!, fill!);
    }
    expect(await page.locator("#legend li").count()).toBe(6);
    const land = await page.locator("#map path.land").evaluateAll((ps) => ps.map((p) => (p.getAttribute("d") ?? "").length));
    expect(land.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...land)).toBeGreaterThan(2000);
    const places = await page.locator("#map text.place").allTextContents();
    expect(places).toEqual(expect.arrayContaining(["London", "Cardiff"]));
  });

  it("says so when there is nothing to show, instead of bare axes", async () => {
    await choose("Substance", "XYLAZINE"); // none in the demo
    await expect(page.locator("#kpis-empty").isVisible()).resolves.toBe(true);
    await expect(page.locator("#kpis-empty").textContent()).resolves.toBe("No administrations recorded for these filters.");
    // Weekly bars: a week whose administrations are few is hidden whatever the substance count (0
    // included), so the series states no count above zero, only zeros and suppressed weeks.
    const weekly = await page.locator("#weekly-rows tr").allTextContents();
    expect(weekly.every((r) => /^\d{4}-\d{2}-\d{2}(0|suppressed)$/.test(r))).toBe(true);
    expect(await page.locator("#weekly rect.bar").count()).toBe(0);
    // The map likewise: cells of few administrations are hidden (0 included); none states a count.
    const map = (await page.locator("#map").textContent()) ?? "";
    expect(map).not.toMatch(/: [1-9][\d,]*/);
    expect(map.includes("No located administrations for these filters") || /suppressed/.test(map)).toBe(true);
    await choose("Substance", "");
    await expect(page.locator("#kpis-empty").isVisible()).resolves.toBe(false);
  });

  it("offers no window longer than the hub answers (52 weeks), drawn by week with labels that never overlap", async () => {
    const windows = await page.locator("#window option").evaluateAll((os) => os.map((o) => Number((o as unknown as { value: string }).value)));
    expect(Math.max(...windows)).toBe(52);
    expect(windows).not.toContain(0);
    await choose("Time window", "4");
    await choose("Time window", "52");
    await expect(page.locator("#weekly").getAttribute("data-unit")).resolves.toBe("week");
    const rows = await page.locator("#weekly-rows tr").allTextContents();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThanOrEqual(53);
    const ticks = await page.locator("#weekly text.tick").evaluateAll((ts) => ts.map((t) => (t as unknown as { getBBox(): { x: number; width: number } }).getBBox()).map((b) => [b.x, b.x + b.width]));
    for (let i = 1; i < ticks.length; i++) expect(ticks[i][0]).toBeGreaterThanOrEqual(ticks[i - 1][1]);
  });

  it("shows the period the hub says it covered, not the one it was asked for", async () => {
    const from = await page.locator("#filters").getAttribute("data-from");
    const to = await page.locator("#filters").getAttribute("data-to");
    const { kpis: k } = await api(`query($f: KpiFilter) { kpis(filter: $f) { period { from to } } }`, { f: { from, to } });
    const last = new Date(Date.parse(k.period.to) - 1).toISOString().slice(0, 10);
    await page.waitForFunction(`document.getElementById("period").textContent.startsWith("Covers ${k.period.from.slice(0, 10)} to ${last} (UTC)")`);
  });

  it("keeps the filters in the URL: a reload (or a shared link) shows the same view", async () => {
    await choose("Area", "force:DUR");
    await choose("Substance", "HEROIN");
    await choose("Map detail", "6");
    expect(new URL(page.url()).search).toBe("?substance=HEROIN&area=force%3ADUR&resolution=6");
    const tiles = await page.locator("#kpis .value").allTextContents();
    await page.reload();
    await page.waitForSelector("body[data-loaded=true]");
    await settle();
    await expect(page.getByLabel("Area").inputValue()).resolves.toBe("force:DUR");
    await expect(page.getByLabel("Substance").inputValue()).resolves.toBe("HEROIN");
    await expect(page.getByLabel("Map detail").inputValue()).resolves.toBe("6");
    await expect(page.locator("#kpis .value").allTextContents()).resolves.toEqual(tiles);
  });

  it("downloads each panel's figures as CSV, equal to the API's", async () => {
    const { from, to, areas } = await filtersOnPage();
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("button[data-export=heatmap]").click()]);
    expect(download.suggestedFilename()).toBe("heatmap.csv");
    const text = readFileSync((await download.path())!, "utf8");
    const rows = text.trim().split("\r\n").map((l) => l.split(","));
    const { heatmap } = await api(`query($f: AggregateFilter) { heatmap(filter: $f, resolution: 6) { cells { h3 count suppressed } total { count suppressed } } }`, { f: { from, to, areaCodes: areas, substances: ["HEROIN"] } });
    expect(rows[0]).toEqual(["h3", "resolution", "count", "suppressed"]);
    expect(rows.slice(1, -1)).toEqual(heatmap.cells.map((c: any) => [c.h3, "6", c.count === null ? "" : String(c.count), String(c.suppressed)]));
    const [kd] = await Promise.all([page.waitForEvent("download"), page.locator("#kpi-title + button[data-export=kpis]").click()]);
    const k = readFileSync((await kd.path())!, "utf8").trim().split("\r\n").map((l) => l.split(","));
    const { kpis } = await api(`query($f: KpiFilter) { kpis(filter: $f) { administrations { count suppressed } } }`, { f: { from, to, areaCodes: areas, substances: ["HEROIN"] } });
    expect(k.find((r) => r[0] === "administrations")).toEqual(["administrations", kpis.administrations.count === null ? "" : String(kpis.administrations.count), String(kpis.administrations.suppressed), ""]);
    await page.goto(`${origin}/dashboard/`);
    await page.waitForSelector("body[data-loaded=true]");
    await settle();
  });

  it("is usable at 420 px wide: no horizontal scroll", async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await settle();
    const [scroll, client] = (await page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")) as number[];
    expect(scroll).toBeLessThanOrEqual(client);
    await expect(page.getByLabel("Area").isVisible()).resolves.toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("shows a spike alert raised while the page is open, pushed over the alertRaised subscription", async () => {
    await expect(page.locator("#alerts li[data-live]").count()).resolves.toBe(0);
    // A cluster in Easington recorded through the API by a Durham officer: recording checks for
    // spikes after each incident and announces every episode it opens.
    const officer = await app.token("DUR", Role.OFFICER, { collarNumber: "4711" });
    const now = Date.now();
    const started = new Date(now - 1000);
    for (let k = 0; k < 9; k++) {
      const occurredAt = new Date(now - (9 - k) * 15 * 60_000);
      const r = await app.gql(RECORD, { input: validForm({ occurredAt: occurredAt.toISOString(), location: CLUSTER_POINT, ambulanceCalledAt: null, ambulanceArrivedAt: null }) }, officer);
      expect(r.errors).toBeUndefined();
    }
    const opened = await app.ds.query(`SELECT id FROM spike_alert WHERE "areaCode" = 'DUR-EASINGTON' AND "openedAt" >= $1`, [started]);
    expect(opened.length).toBeGreaterThan(0);
    const live = page.locator("#alerts li[data-live=true]");
    await live.first().waitFor({ timeout: 15_000 });
    // Alerts arrive one event at a time: wait until every opened episode is on the page.
    for (let i = 0; i < 50 && (await live.count()) < opened.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await live.count()).toBe(opened.length);
    await expect(live.first().textContent()).resolves.toMatch(/New.*DUR-EASINGTON/);
  });

  it("loads nothing from anywhere but the hub, with no console errors (CSP violations included), and saves a screenshot", async () => {
    expect(foreignRequests).toEqual([]);
    expect(problems).toEqual([]);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it("serves a development query page at GET /graphql that runs offline", async () => {
    const admin = await app.token("HUB", Role.ADMIN);
    await page.goto(`${origin}/graphql`);
    await page.getByLabel("Bearer token").fill(admin);
    await page.getByRole("button", { name: "Run" }).click();
    await page.locator("#result").filter({ hasText: "TS-TEESSIDE" }).waitFor({ timeout: 10_000 });
    await expect(page.locator("#result").textContent()).resolves.toMatch(/^200\n/);
    expect(foreignRequests).toEqual([]);
    expect(problems).toEqual([]);
    await page.evaluate(`sessionStorage.removeItem("nh-token")`); // the page keeps its token in the tab too
    await page.goto(`${origin}/dashboard/`);
    await page.waitForSelector("body[data-loaded=true]");
  });

  it("returns to sign-in, saying why, when the token stops being accepted", async () => {
    const expired = await app.token("PH-ENG", Role.ANALYST, { ttlSeconds: -60 });
    await page.evaluate(`sessionStorage.setItem("naloxone-hub.token", ${JSON.stringify(expired)})`);
    await page.getByLabel("Substance").selectOption("HEROIN");
    await page.getByText("Your token is no longer accepted").waitFor({ timeout: 10_000 });
    expect(await page.locator("#board").isVisible()).toBe(false);
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
  });
});
