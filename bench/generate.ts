// Benchmark data: N incidents over a year, clustered around the demo forces' area centres, with
// people (repeat people with identity keys, and anonymous ones), consents, handovers, referrals
// with their events, and 72-hour reviews. Deterministic for a seed. Written straight into the
// tables in large INSERT … SELECT FROM unnest(…) batches, consistent with what the API writes
// (valid enums, foreign keys, referrals only where a route and a consent call for one). Audit
// rows are not written for bulk data.
//
//   node dist/bench/generate.js            (DATABASE_URL, BENCH_N, BENCH_SEED; see bench/config.ts)
import { createHash } from "node:crypto";
import "reflect-metadata";
import pg from "pg";
import { DEMO_AGENCIES, DEMO_AREAS } from "../src/demo/demo-agencies.js";
import { h3Cells } from "../src/modules/incidents/incident.policy.js";
import { identityKey } from "../src/modules/people/person.policy.js";
import { Prng } from "./prng.js";

export interface GenerateOptions {
  url: string;
  n: number;
  seed: string;
  identitySecret: string;
  /** Incidents per transaction. */
  batch?: number;
  /** End of the generated year (default: now, rounded down to the hour). */
  end?: Date;
  log?: (line: string) => void;
}

/** Bumped whenever the generated data changes shape or distribution. */
export const GENERATOR_VERSION = 2;

export interface GenerationInfo {
  version: number;
  n: number;
  seed: string;
  end: string;
  complete: boolean;
}

const DAY = 86_400_000;
const MARKER_PREFIX = "naloxone-hub bench data ";

/** What the database says about bench data already generated in it (a comment on the incident table). */
export async function generationInfo(client: pg.ClientBase): Promise<GenerationInfo | null> {
  const { rows } = await client.query(`SELECT obj_description('incident'::regclass, 'pg_class') AS c`);
  const c: string | null = rows[0]?.c ?? null;
  if (!c || !c.startsWith(MARKER_PREFIX)) return null;
  return JSON.parse(c.slice(MARKER_PREFIX.length)) as GenerationInfo;
}

async function setGenerationInfo(client: pg.ClientBase, info: GenerationInfo): Promise<void> {
  const text = (MARKER_PREFIX + JSON.stringify(info)).replace(/'/g, "''");
  await client.query(`COMMENT ON TABLE incident IS '${text}'`);
}

// Forces weighted by the administrations they reported (evaluation Table 1); Lancashire reported none.
const FORCE_WEIGHTS: Array<readonly [string, number]> = DEMO_AGENCIES.filter((a) => a.kind === "POLICE_FORCE" && a.administrations).map((a) => [a.code, a.administrations as number] as const);

const SUBSTANCES: Array<readonly [string, number]> = [
  ["HEROIN", 50], ["METHADONE", 8], ["FENTANYL", 4], ["NITAZENES", 8], ["OTHER_SYNTHETIC_OPIOID", 3], ["OTHER_OPIOID", 5],
  ["BENZODIAZEPINES", 10], ["XYLAZINE", 1], ["COCAINE", 8], ["ALCOHOL", 10], ["OTHER", 2],
];
const OUTCOMES: Array<readonly [string, number]> = [["CONSCIOUS_AND_RESPONSIVE", 70], ["UNCONSCIOUS", 12], ["NON_RESPONSIVE", 8], ["DIED", 2], ["UNKNOWN", 8]];
const DISPOSITIONS: Array<readonly [string, number]> = [["CONVEYED_TO_HOSPITAL", 45], ["LEFT_BEFORE_AMBULANCE", 15], ["REFUSED_CONVEYANCE", 20], ["TREATED_ON_SCENE", 15], ["UNKNOWN", 5]];
const GIVEN = ["Alex", "Sam", "Jo", "Chris", "Robin", "Lee", "Kim", "Pat", "Jamie", "Charlie", "Morgan", "Taylor", "Casey", "Drew", "Jordan", "Riley"];
const FAMILY = ["Testperson", "Fakename", "Sampleton", "Placeholder", "Synthetic", "Dummyson", "Mockford", "Examplar"];
const GENDERS: Array<readonly [string, number]> = [["MALE", 70], ["FEMALE", 27], ["OTHER", 1], ["UNKNOWN", 2]];
const CLOSED_OUTCOMES = ["ENGAGED_IN_TREATMENT", "DECLINED_SUPPORT", "UNABLE_TO_CONTACT", "ALREADY_IN_TREATMENT", "NO_FURTHER_ACTION"];

/** Letters only (names must be letters): a number written in base 26. */
function letters(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

const iso = (t: number) => new Date(t).toISOString();

interface Table {
  name: string;
  /** [column, element type of the array parameter, optional SQL expression over the unnested value `v` (default: v)]. */
  columns: Array<[string, string, string?]>;
  rows: unknown[][];
}

function table(name: string, columns: Array<[string, string, string?]>): Table {
  return { name, columns, rows: columns.map(() => []) };
}

function push(t: Table, values: unknown[]): void {
  for (let i = 0; i < t.columns.length; i++) t.rows[i].push(values[i]);
}

async function flush(client: pg.ClientBase, t: Table): Promise<void> {
  if (t.rows[0].length === 0) return;
  const cols = t.columns.map(([c]) => `"${c}"`).join(", ");
  const aliases = t.columns.map((_, i) => `c${i}`);
  const exprs = t.columns.map(([, , expr], i) => (expr ? expr.replace(/\bv\b/g, aliases[i]) : aliases[i])).join(", ");
  const unnest = t.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ");
  await client.query(`INSERT INTO ${t.name} (${cols}) SELECT ${exprs} FROM unnest(${unnest}) AS u(${aliases.join(", ")})`, t.rows);
  t.rows = t.columns.map(() => []);
}

function progress(total: number, label: string, log: (s: string) => void) {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  return (done: number) => {
    const now = Date.now();
    if (done < total && now - lastLine < (tty ? 250 : 10_000)) return;
    lastLine = now;
    const f = total ? done / total : 1;
    const width = 30;
    const bar = "#".repeat(Math.round(f * width)).padEnd(width, ".");
    const secs = (now - started) / 1000;
    const eta = f > 0 ? secs / f - secs : 0;
    const line = `${label} [${bar}] ${(f * 100).toFixed(1)}% ${done.toLocaleString("en-GB")}/${total.toLocaleString("en-GB")} ${secs.toFixed(0)}s elapsed, ~${eta.toFixed(0)}s left`;
    if (tty) process.stderr.write(`\r${line}${done >= total ? "\n" : ""}`);
    else log(line);
  };
}

/**
 * Generates bench data unless the database already holds it. Resumable: batches commit one by one,
 * and a rerun with the same N and seed replays the stream and writes only the missing batches.
 */
export async function generate(opts: GenerateOptions): Promise<{ generated: boolean; seconds: number; info: GenerationInfo }> {
  const log = opts.log ?? ((s: string) => process.stderr.write(s + "\n"));
  const batch = opts.batch ?? 5000;
  const client = new pg.Client({ connectionString: opts.url, application_name: "naloxone-hub-bench-generate" });
  await client.connect();
  const started = Date.now();
  try {
    const existing = await generationInfo(client);
    if (existing && (existing.n !== opts.n || existing.seed !== opts.seed || existing.version !== GENERATOR_VERSION)) {
      throw new Error(
        `this database holds bench data for N=${existing.n}, seed ${existing.seed}, generator version ${existing.version ?? 1} (now ${GENERATOR_VERSION}); ` +
          `use a fresh database (for the embedded one, delete .data/bench), or BENCH_N=${existing.n}`,
      );
    }
    if (existing?.complete) return { generated: false, seconds: 0, info: existing };
    const endMs = existing ? Date.parse(existing.end) : Math.floor((opts.end ?? new Date()).getTime() / 3_600_000) * 3_600_000;
    const info: GenerationInfo = { version: GENERATOR_VERSION, n: opts.n, seed: opts.seed, end: iso(endMs), complete: false };
    await setGenerationInfo(client, info);

    const agencyRows: Array<{ id: string; code: string; kind: string; areaCodes: string[] }> = (await client.query(`SELECT id, code, kind, "areaCodes" FROM agency`)).rows;
    const agency = new Map(agencyRows.map((a) => [a.code, a]));
    const ambulanceOf = (area: string) => agencyRows.find((a) => a.kind === "AMBULANCE_SERVICE" && a.areaCodes.includes(area));
    const routes: Array<{ areaCode: string; pathway: string; targetAgencyId: string; slaHours: number; kind: string }> = (
      await client.query(`SELECT r."areaCode", r.pathway::text AS pathway, r."targetAgencyId", r."slaHours", a.kind::text AS kind FROM route r JOIN agency a ON a.id = r."targetAgencyId"`)
    ).rows;
    for (const [code] of FORCE_WEIGHTS) if (!agency.has(code)) throw new Error(`agency ${code} missing: seed the demo agencies first`);

    // Areas: weights descending within a force (the first-named area is the busiest), hotspots per area.
    const rnd = new Prng(`${opts.seed}:layout`);
    const areasOf = new Map<string, Array<readonly [string, number]>>();
    for (const [force] of FORCE_WEIGHTS) {
      const areas = Object.keys(DEMO_AREAS).filter((a) => a.startsWith(force + "-"));
      areasOf.set(force, areas.map((a, i) => [a, areas.length - i + 1] as const));
    }
    const hotspots = new Map<string, Array<{ lat: number; lng: number; w: number }>>();
    for (const [area, c] of Object.entries(DEMO_AREAS)) {
      hotspots.set(area, Array.from({ length: 6 }, (_, i) => ({ lat: c.lat + rnd.gauss() * 0.02, lng: c.lng + rnd.gauss() * 0.03, w: i === 0 ? 4 : 1 + rnd.next() })));
    }
    // Identified people: a pool per area, drawn with a skew so some people recur many times.
    const forceTotal = FORCE_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    const poolSize = new Map<string, number>();
    for (const [force, fw] of FORCE_WEIGHTS) {
      const areas = areasOf.get(force)!;
      const aw = areas.reduce((s, [, w]) => s + w, 0);
      for (const [area, w] of areas) poolSize.set(area, Math.max(10, Math.ceil(((opts.n * fw) / forceTotal) * (w / aw) * 0.45)));
    }
    const personIds = new Map<string, (string | undefined)[]>([...poolSize].map(([a, n]) => [a, new Array<string | undefined>(n)]));

    const r = new Prng(`${opts.seed}:incidents`);
    const startMs = endMs - 365 * DAY;
    const span = endMs - startMs;
    const [{ done }] = (await client.query(`SELECT count(*)::int AS done FROM incident WHERE "idempotencyKey" LIKE 'bench-%'`)).rows;
    const resumeFrom = Math.floor(done / batch) * batch;
    if (done > 0) log(`resuming: ${done} bench incidents already present`);
    const tick = progress(opts.n, "generating", log);

    const person = table("person", [["id", "uuid"], ["identityKey", "text"], ["givenName", "text"], ["familyName", "text"], ["dateOfBirth", "date"], ["ageYears", "int"], ["gender", "text", "v::gender"], ["createdByAgencyId", "uuid"], ["createdAt", "timestamptz"]]);
    const incident = table("incident", [
      ["id", "uuid"], ["agencyId", "uuid"], ["idempotencyKey", "text"], ["requestHash", "text"], ["recordedBySub", "text"], ["occurredAt", "timestamptz"], ["areaCode", "text"],
      ["lat", "float8"], ["lng", "float8"], ["h3r5", "text"], ["h3r6", "text"], ["h3r7", "text"], ["h3r8", "text"], ["h3r9", "text"], ["personId", "uuid"],
      ["substances", "text", "string_to_array(v, ',')::substance[]"], ["dosesAdministered", "int"], ["outcome", "text", "v::outcome"],
      ["ambulanceCalledAt", "timestamptz"], ["ambulanceArrivedAt", "timestamptz"], ["ambulanceResponseMinutes", "int"], ["seenByParamedics", "bool"], ["resupplyNeeded", "bool"],
      ["kitsRequired", "int"], ["paraphernaliaPresent", "bool"], ["disposition", "text", "v::disposition"], ["officerCollarNumber", "text"], ["recordedAt", "timestamptz"],
      ["firstAidTriedtowakeverbally", "bool"], ["firstAidTiltedheadback", "bool"], ["firstAidCheckedbreathing", "bool"], ["firstAidRecoveryposition", "bool"],
      ["firstAidChestcompressions", "bool"], ["firstAidRescuebreaths", "bool"], ["firstAidClearedairways", "bool"], ["firstAidCheckedpulse", "bool"], ["firstAidCheckedforresponse", "bool"],
    ]);
    const handover = table("handover", [
      ["id", "uuid"], ["incidentId", "uuid"], ["agencyId", "uuid"], ["idempotencyKey", "text"], ["requestHash", "text"], ["recordedBySub", "text"], ["cadReference", "text"],
      ["handedOverAt", "timestamptz"], ["patientCondition", "text"], ["circumstances", "text"], ["accompanyingPeople", "int"], ["dosesGivenBeforeArrival", "int"],
      ["officerCollarNumber", "text"], ["conveyedToHospital", "bool"], ["refusedCare", "bool"], ["recordedAt", "timestamptz"],
    ]);
    const consent = table("consent", [
      ["id", "uuid"], ["personId", "uuid"], ["incidentId", "uuid"], ["decision", "text", "v::consent_decision"], ["purposes", "text", "string_to_array(v, ',')::purpose[]"],
      ["recipientKinds", "text", "string_to_array(v, ',')::agency_kind[]"], ["method", "text", "v::consent_method"], ["obtainedAt", "timestamptz"],
      ["recordedByAgencyId", "uuid"], ["recordedBySub", "text"], ["recordedAt", "timestamptz"],
    ]);
    const referral = table("referral", [
      ["id", "uuid"], ["pathway", "text", "v::pathway"], ["status", "text", "v::referral_status"], ["incidentId", "uuid"], ["personId", "uuid"], ["fromAgencyId", "uuid"],
      ["toAgencyId", "uuid"], ["consentId", "uuid"], ["createdAt", "timestamptz"], ["dueAt", "timestamptz"], ["outcome", "text"], ["firstContactAt", "timestamptz"], ["closedAt", "timestamptz"],
    ]);
    const event = table("referral_event", [
      ["referralId", "uuid"], ["type", "text"], ["fromStatus", "text", "v::referral_status"], ["toStatus", "text", "v::referral_status"], ["actorSub", "text"], ["agencyId", "uuid"], ["at", "timestamptz"], ["note", "text"],
    ]);
    const review = table("review", [
      ["incidentId", "uuid"], ["personId", "uuid"], ["agencyId", "uuid"], ["status", "text", "v::review_status"], ["createdAt", "timestamptz"], ["dueAt", "timestamptz"],
      ["completedBySub", "text"], ["completedAt", "timestamptz"], ["dueSoonNotified", "bool"], ["dueNowNotified", "bool"],
    ]);
    const tables = [person, incident, handover, consent, referral, event, review];

    for (let k = 0; k < opts.n; k++) {
      // Values are always drawn (so a resumed run replays the same stream); only missing batches are written.
      const writing = k >= resumeFrom;
      const put = (t: Table, values: unknown[]) => {
        if (writing) push(t, values);
      };
      const force = r.weighted(FORCE_WEIGHTS);
      const forceId = agency.get(force)!.id;
      const area = r.weighted(areasOf.get(force)!);
      // Time: evenly through the year in index order (rows land in time order, as real recording does).
      const t = startMs + Math.floor(((k + r.next()) / opts.n) * span);
      let loc: { lat: number; lng: number } | null = null;
      if (!r.chance(0.03)) {
        const diffuse = r.chance(0.2);
        const c = diffuse ? DEMO_AREAS[area] : r.weighted(hotspots.get(area)!.map((h) => [h, h.w] as const));
        const sd = diffuse ? 0.05 : 0.006;
        loc = { lat: c.lat + r.gauss() * sd, lng: c.lng + r.gauss() * sd * 1.6 };
      }

      // The person: 70% identified (names and date of birth, linked by identity key), 30% anonymous.
      let personId: string;
      const identified = r.chance(0.7);
      if (identified) {
        const pool = personIds.get(area)!;
        // Skewed so a few people recur often (the busiest about 1/pool^(2/3) of the area's identified incidents).
        const idx = Math.floor(pool.length * r.next() ** 1.5);
        const existingId = pool[idx];
        const pr = new Prng(`${opts.seed}:person:${area}:${idx}`);
        personId = existingId ?? pr.uuid();
        if (!existingId) {
          pool[idx] = personId;
          {
            const given = pr.pick(GIVEN);
            const family = `${pr.pick(FAMILY)}${letters(Object.keys(DEMO_AREAS).indexOf(area))}${letters(idx)}`.replace(/^./, (c) => c.toUpperCase());
            const y = 1965 + pr.int(0, 40);
            const dob = `${y}-${String(pr.int(1, 12)).padStart(2, "0")}-${String(pr.int(1, 28)).padStart(2, "0")}`;
            put(person, [personId, identityKey(opts.identitySecret, { givenName: given, familyName: family, dateOfBirth: dob }), given, family, dob, null, pr.weighted(GENDERS), forceId, iso(t)]);
          }
        }
      } else {
        personId = r.uuid();
        const age = r.chance(0.6) ? r.int(18, 65) : null;
        put(person, [personId, null, null, null, null, age, r.weighted(GENDERS), forceId, iso(t)]);
      }

      const incidentId = r.uuid();
      const nSubs = r.weighted([[1, 55], [2, 35], [3, 10]] as const);
      const subs = new Set<string>();
      while (subs.size < nSubs) subs.add(r.weighted(SUBSTANCES));
      const outcome = r.weighted(OUTCOMES);
      const called = r.chance(0.9) ? t - r.int(1, 10) * 60_000 : null;
      const responseMin = called !== null && r.chance(0.9) ? Math.max(1, Math.round(6 + Math.abs(r.gauss()) * 12)) : null;
      const arrived = called !== null && responseMin !== null ? called + responseMin * 60_000 : null;
      const seen = arrived !== null && r.chance(0.9);
      const resupply = r.chance(0.6);
      const collar = String(1000 + r.int(0, 400));
      const fa = Array.from({ length: 8 }, (_, i) => r.chance([0.9, 0.7, 0.85, 0.6, 0.1, 0.1, 0.4, 0.5][i]));
      const cells = h3Cells(loc);
      const key = `bench-${k}`;
      {
        put(incident, [
          incidentId, forceId, key, createHash("sha256").update(key).digest("hex"), `${force.toLowerCase()}-officer-${collar}`, iso(t), area,
          loc?.lat ?? null, loc?.lng ?? null, cells.h3r5, cells.h3r6, cells.h3r7, cells.h3r8, cells.h3r9, personId,
          [...subs].join(","), r.int(1, 4), outcome, called === null ? null : iso(called), arrived === null ? null : iso(arrived), responseMin, seen, resupply,
          resupply ? r.int(1, 2) : null, r.chance(0.5), r.weighted(DISPOSITIONS), collar, iso(t + 20 * 60_000), ...fa, r.chance(0.8),
        ]);
      }

      // Handover by the area's ambulance service for most incidents the paramedics saw.
      const amb = ambulanceOf(area);
      const handed = seen && amb !== undefined && r.chance(0.75);
      if (handed) {
        put(handover, [
          r.uuid(), incidentId, amb!.id, `bench-h-${k}`, createHash("sha256").update(`h${k}`).digest("hex"), `${amb!.code.toLowerCase()}-paramedic-${k % 300}`,
          `CAD/${new Date(t).getUTCFullYear()}/${k}`, iso(arrived! + 10 * 60_000), "Breathing, drowsy", "Found in a public place", 1, 2, collar, r.chance(0.5), false, iso(arrived! + 15 * 60_000),
        ]);
      }

      // Consent on scene: most identified people, few anonymous ones. Durham's covers the MASH too.
      const consents = r.chance(identified ? 0.5 : 0.1);
      const routesHere = routes.filter((x) => x.areaCode === area);
      if (routesHere.some((x) => x.pathway === "SEVENTY_TWO_HOUR_REVIEW")) {
        const rv = routesHere.find((x) => x.pathway === "SEVENTY_TWO_HOUR_REVIEW")!;
        const due = t + rv.slaHours * 3_600_000;
        const completed = endMs - due > 2 * DAY && r.chance(0.95);
        const completedAt = due - r.int(1, 48) * 3_600_000;
        put(review, [incidentId, personId, rv.targetAgencyId, completed ? "COMPLETED" : "OPEN", iso(t + 20 * 60_000), iso(due), completed ? "hrt-lead" : null, completed ? iso(completedAt) : null, due - DAY <= endMs, due <= endMs]);
      }
      if (!consents) {
        tick(k + 1);
        if ((k + 1) % batch === 0 || k + 1 === opts.n) await commitBatch();
        continue;
      }
      const consentId = r.uuid();
      const obtained = t + 10 * 60_000;
      const durham = force === "DUR";
      {
        put(consent, [
          consentId, personId, incidentId, "GIVEN", durham ? "SAFEGUARDING,TREATMENT_REFERRAL" : "TREATMENT_REFERRAL", durham ? "MASH,TREATMENT_SERVICE" : "TREATMENT_SERVICE",
          r.pick(["VERBAL", "WRITTEN", "ELECTRONIC"]), iso(obtained), forceId, `${force.toLowerCase()}-officer-${collar}`, iso(obtained + 60_000),
        ]);
      }
      for (const route of routesHere) {
        const routed =
          (route.pathway === "DIRECT_TREATMENT" && route.kind === "TREATMENT_SERVICE") ||
          (route.pathway === "MASH_SAFEGUARDING" && durham) ||
          (route.pathway === "NFO_COORDINATOR" && handed);
        if (!routed) continue;
        const refId = r.uuid();
        const created = obtained + 60_000;
        const due = created + route.slaHours * 3_600_000;
        const age = endMs - created;
        // Older referrals have moved on; recent ones are mostly waiting.
        const status: string =
          age > 10 * DAY
            ? r.weighted([["CLOSED", 38], ["ENGAGED", 30], ["DECLINED", 10], ["CONTACT_ATTEMPTED", 12], ["ACCEPTED", 5], ["OPEN", 5]] as const)
            : r.weighted([["OPEN", 50], ["ACCEPTED", 25], ["CONTACT_ATTEMPTED", 25]] as const);
        const path: Array<[string, string | null, string]> = [["CREATED", null, "OPEN"]];
        if (status === "DECLINED") path.push(["DECLINED", "OPEN", "DECLINED"]);
        else if (status !== "OPEN") {
          path.push(["ACCEPTED", "OPEN", "ACCEPTED"]);
          if (["CONTACT_ATTEMPTED", "ENGAGED", "CLOSED"].includes(status)) path.push(["CONTACT_ATTEMPTED", "ACCEPTED", "CONTACT_ATTEMPTED"]);
          if (["ENGAGED", "CLOSED"].includes(status)) path.push(["ENGAGED", "CONTACT_ATTEMPTED", "ENGAGED"]);
          if (status === "CLOSED") path.push(["CLOSED", "ENGAGED", "CLOSED"]);
        }
        const step = Math.max(60_000, Math.min(age, 10 * DAY) / (path.length + 1));
        const at = (i: number) => created + i * step;
        const contactIdx = path.findIndex(([type]) => type === "CONTACT_ATTEMPTED");
        const terminal = status === "CLOSED" || status === "DECLINED";
        const outcome = status === "CLOSED" ? r.pick(CLOSED_OUTCOMES) : status === "DECLINED" ? "DECLINED" : null;
        {
          put(referral, [refId, route.pathway, status, incidentId, personId, forceId, route.targetAgencyId, consentId, iso(created), iso(due), outcome, contactIdx >= 0 ? iso(at(contactIdx)) : null, terminal ? iso(at(path.length - 1)) : null]);
          path.forEach(([type, from, to], i) => {
            put(event, [refId, type, from, to, i === 0 ? "system" : `worker-${k % 50}`, i === 0 ? null : route.targetAgencyId, iso(at(i)), type === "CONTACT_ATTEMPTED" ? "PHONE: NO_ANSWER" : null]);
          });
        }
      }
      tick(k + 1);
      if ((k + 1) % batch === 0 || k + 1 === opts.n) await commitBatch();
    }

    async function commitBatch(): Promise<void> {
      if (incident.rows[0].length === 0) return;
      await client.query("BEGIN");
      try {
        await client.query("SET LOCAL synchronous_commit = off");
        for (const t of tables) await flush(client, t);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    }

    log("analysing tables (VACUUM ANALYZE)");
    for (const t of ["person", "incident", "handover", "consent", "referral", "referral_event", "review"]) await client.query(`VACUUM ANALYZE ${t}`);
    info.complete = true;
    await setGenerationInfo(client, info);
    return { generated: true, seconds: (Date.now() - started) / 1000, info };
  } finally {
    await client.end();
  }
}
