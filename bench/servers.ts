// The benchmark's comparison servers, in one process (never part of the production server):
//   BENCH_PORT+1  the hub's schema with the permission layer (a twin of the production hub, same process as the others)
//   BENCH_PORT+2  the same schema without the shield permission layer (buildBareSchema)
//   BENCH_PORT+3  hand-written SQL returning JSON: the floor (no authorisation, consent or audit), and for
//                 recording the same transaction's statements through one pg pool (no GraphQL, no TypeORM)
// Configured like the hub (DATABASE_URL, JWT_SECRET, … through loadConfig).
import "reflect-metadata";
import express from "express";
import http from "node:http";
import pg from "pg";
import { systemClock } from "../src/core/clock.js";
import { loadConfig } from "../src/core/config.js";
import { createDataSource } from "../src/core/data-source.js";
import { createLogger } from "../src/core/logger.js";
import { createHubPubSub } from "../src/core/pubsub.js";
import { buildBareSchema } from "../src/schema.js";
import { createHubServer } from "../src/server.js";
import type { EntityManager } from "typeorm";
import { writeAudit, AuditTrail } from "../src/core/audit/audit.js";
import type { Actor } from "../src/core/auth/actor.js";
import type { AgencyKind, Role } from "../src/core/auth/roles.js";
import type { Config } from "../src/core/config.js";
import { h3Cells, responseMinutes } from "../src/modules/incidents/incident.policy.js";
import { resolvePerson } from "../src/modules/people/person.service.js";
import { routeIncidents } from "../src/modules/referrals/routing.service.js";
import { TrailingSingleFlight } from "../src/core/single-flight.js";
import { benchConfig } from "./config.js";

/** The inbox page the GraphQL scenario asks for, in one statement. */
export const INBOX_SQL = `
SELECT coalesce(json_agg(json_build_object('node', json_build_object(
         'id', r.id, 'pathway', r.pathway, 'status', r.status, 'dueAt', r."dueAt", 'createdAt', r."createdAt",
         'overdue', (r."dueAt" < now() AND r.status IN ('OPEN', 'ACCEPTED', 'CONTACT_ATTEMPTED')),
         'incident', json_build_object('id', i.id, 'occurredAt', i."occurredAt", 'areaCode', i."areaCode", 'outcome', i.outcome,
                                       'substances', i.substances, 'dosesAdministered', i."dosesAdministered"),
         'person', json_build_object('givenName', p."givenName", 'familyName', p."familyName"),
         'events', (SELECT coalesce(json_agg(json_build_object('type', e.type, 'at', e.at, 'actorSub', e."actorSub", 'note', e.note) ORDER BY e.at, e.id), '[]')
                      FROM referral_event e WHERE e."referralId" = r.id)))
       ORDER BY r."dueAt", r.id), '[]') AS edges
  FROM (SELECT * FROM referral WHERE "toAgencyId" = $1 ORDER BY "dueAt", id LIMIT $2) r
  JOIN incident i ON i.id = r."incidentId"
  JOIN person p ON p.id = r."personId"`;

const CELL: Record<string, string> = { "5": "h3r5", "6": "h3r6", "7": "h3r7", "8": "h3r8", "9": "h3r9" };

export const heatmapSql = (column: string) =>
  `SELECT ${column} AS h3, count(*)::int AS n FROM incident WHERE ${column} IS NOT NULL AND "occurredAt" >= $1 AND "occurredAt" < $2 GROUP BY ${column} ORDER BY ${column}`;

/**
 * The heat map's statement since issue 12 (what AggregateService asks PostgreSQL): each cell and the
 * total (GROUPING SETS), each with its records' key sum for the cell key. The plain one above is
 * the statement before it, kept to measure the cell key's cost in the same run.
 */
export const heatmapKeyedSql = (column: string) =>
  `SELECT ${column} AS h3, count(*)::int AS population, count(*)::int AS n, coalesce(sum("recordKey"), 0)::text AS k FROM incident
    WHERE ${column} IS NOT NULL AND "occurredAt" >= $1 AND "occurredAt" < $2 GROUP BY GROUPING SETS ((${column}), ()) ORDER BY ${column} NULLS LAST`;

const FIRST_AID = ["Triedtowakeverbally", "Tiltedheadback", "Checkedbreathing", "Recoveryposition", "Chestcompressions", "Rescuebreaths", "Clearedairways", "Checkedpulse", "Checkedforresponse"].map(
  (c) => `firstAid${c}`,
);

/** The KPI indicators over one force and period, as one statement (what KpiService asks PostgreSQL). */
export const KPI_SQL = `
SELECT count(*)::int AS administrations,
       count(*) FILTER (WHERE i.outcome = 'CONSCIOUS_AND_RESPONSIVE')::int AS reversed,
       coalesce(sum(i."dosesAdministered"), 0)::int AS doses,
       count(*) FILTER (WHERE ${FIRST_AID.map((c) => `i."${c}" IS TRUE`).join(" OR ")})::int AS with_first_aid,
       ${FIRST_AID.map((c) => `count(*) FILTER (WHERE i."${c}" IS TRUE)::int AS "${c}"`).join(",\n       ")},
       count(i."ambulanceResponseMinutes")::int AS responses,
       count(*) FILTER (WHERE i."ambulanceResponseMinutes" > 7)::int AS over_target,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i."ambulanceResponseMinutes") AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY i."ambulanceResponseMinutes") AS p90,
       count(*) FILTER (WHERE i."seenByParamedics")::int AS seen,
       count(*) FILTER (WHERE i."resupplyNeeded")::int AS resupply,
       coalesce(sum(i."kitsRequired"), 0)::int AS kits
  FROM incident i
 WHERE i."occurredAt" >= $1 AND i."occurredAt" < $2
   AND i."agencyId" IN (SELECT a.id FROM agency a WHERE a.code = ANY($3::text[]))`;

/** KPI_SQL with the key sum of every count beside it (the KPI statement since issue 12). */
const keyed = (name: string, where?: string) => `coalesce(sum(i."recordKey")${where ? ` FILTER (WHERE ${where})` : ""}, 0)::text AS "k_${name}"`;
const ANY_FIRST_AID = FIRST_AID.map((c) => `i."${c}" IS TRUE`).join(" OR ");
export const KPI_KEYED_SQL = `
SELECT count(*)::int AS administrations, ${keyed("administrations")},
       count(*) FILTER (WHERE i.outcome = 'CONSCIOUS_AND_RESPONSIVE')::int AS reversed, ${keyed("reversed", "i.outcome = 'CONSCIOUS_AND_RESPONSIVE'")},
       coalesce(sum(i."dosesAdministered"), 0)::int AS doses,
       count(*) FILTER (WHERE ${ANY_FIRST_AID})::int AS with_first_aid, ${keyed("with_first_aid", ANY_FIRST_AID)},
       ${FIRST_AID.map((c) => `count(*) FILTER (WHERE i."${c}" IS TRUE)::int AS "${c}", ${keyed(c, `i."${c}" IS TRUE`)}`).join(",\n       ")},
       count(*) FILTER (WHERE i."ambulanceResponseMinutes" IS NOT NULL)::int AS responses, ${keyed("responses", `i."ambulanceResponseMinutes" IS NOT NULL`)},
       count(*) FILTER (WHERE i."ambulanceResponseMinutes" > 7)::int AS over_target, ${keyed("over_target", `i."ambulanceResponseMinutes" > 7`)},
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i."ambulanceResponseMinutes") AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY i."ambulanceResponseMinutes") AS p90,
       count(*) FILTER (WHERE i."seenByParamedics")::int AS seen, ${keyed("seen", `i."seenByParamedics"`)},
       count(*) FILTER (WHERE i."resupplyNeeded")::int AS resupply, ${keyed("resupply", `i."resupplyNeeded"`)},
       coalesce(sum(i."kitsRequired"), 0)::int AS kits
  FROM incident i
 WHERE i."occurredAt" >= $1 AND i."occurredAt" < $2
   AND i."agencyId" IN (SELECT a.id FROM agency a WHERE a.code = ANY($3::text[]))`;
/** The spike check's window counts (what alert.service.ts asks after each recording), area or cell. */
const spikeCountsSql = (byCell: boolean) => `SELECT count(*) FILTER (WHERE "occurredAt" > $2::timestamptz - interval '24 hours')::int AS "HOURS_24",
   count(*) FILTER (WHERE "occurredAt" <= $2::timestamptz - interval '24 hours' AND "occurredAt" > $2::timestamptz - interval '696 hours')::int AS "HOURS_24_baseline",
   count(*) FILTER (WHERE "occurredAt" > $2::timestamptz - interval '72 hours')::int AS "HOURS_72",
   count(*) FILTER (WHERE "occurredAt" <= $2::timestamptz - interval '72 hours' AND "occurredAt" > $2::timestamptz - interval '744 hours')::int AS "HOURS_72_baseline"
  FROM incident WHERE ${byCell ? "h3r7 = $1" : `"areaCode" = $1`} AND "occurredAt" <= $2::timestamptz AND "occurredAt" > $2::timestamptz - interval '744 hours'`;

const INSERT_INCIDENT = `INSERT INTO incident ("agencyId", "idempotencyKey", "requestHash", "recordedBySub", "occurredAt", "areaCode", lat, lng, h3r5, h3r6, h3r7, h3r8, h3r9,
   "personId", substances, "dosesAdministered", outcome, "ambulanceCalledAt", "ambulanceArrivedAt", "ambulanceResponseMinutes", "seenByParamedics", "resupplyNeeded",
   "kitsRequired", "paraphernaliaPresent", disposition, "officerCollarNumber", "firstAidTriedtowakeverbally", "firstAidTiltedheadback", "firstAidCheckedbreathing",
   "firstAidRecoveryposition", "firstAidChestcompressions", "firstAidRescuebreaths", "firstAidClearedairways", "firstAidCheckedpulse", "firstAidCheckedforresponse")
 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35)
 ON CONFLICT DO NOTHING RETURNING id, "occurredAt", "areaCode", h3r7`;

/**
 * The recording floor: what one recordNaloxoneAdministration request does in PostgreSQL, through one
 * pg pool, without GraphQL, validation or TypeORM: the caller's agency, the idempotency look-up, one
 * transaction (person upsert by identity key, incident, consent, routing with the incident locked and
 * the person's access facts, referral and event, the audit rows), the response's read-audit row, and
 * the spike checks of the area and the cell (an advisory lock each, as the hub takes). Routing and
 * the audit rows go through the hub's own functions (plain SQL), so the statements are the same.
 */
async function rawRecord(pool: pg.Pool, config: Config, body: { agency: string; sub: string; collarNumber: string; input: any }): Promise<unknown> {
  const client = await pool.connect();
  let released = false;
  const m = { query: (sql: string, params?: unknown[]) => client.query(sql, params as unknown[]).then((r) => r.rows) } as unknown as EntityManager;
  try {
    const { input } = body;
    const [agency] = (await client.query(`SELECT id, code, kind, "areaCodes", active FROM agency WHERE code = $1`, [body.agency])).rows;
    const actor: Actor = { sub: body.sub, agency: { id: agency.id, code: agency.code, kind: agency.kind as AgencyKind, areaCodes: agency.areaCodes }, roles: ["OFFICER" as Role], collarNumber: body.collarNumber, requestId: `raw-${Math.random().toString(36).slice(2, 12)}` };
    const [existing] = (await client.query(`SELECT id FROM incident WHERE "agencyId" = $1 AND "idempotencyKey" = $2`, [agency.id, input.idempotencyKey])).rows;
    if (existing) return { id: existing.id };
    const now = new Date();
    const trail = new AuditTrail();
    await client.query("BEGIN");
    let incident: { id: string; occurredAt: Date; areaCode: string; h3r7: string | null };
    let personId: string;
    try {
      personId = await resolvePerson(m, config.identityKeySecret, agency.id, input.person);
      const cells = h3Cells(input.location);
      const fa = input.firstAid;
      const called = input.ambulanceCalledAt ? new Date(input.ambulanceCalledAt) : null;
      const arrived = input.ambulanceArrivedAt ? new Date(input.ambulanceArrivedAt) : null;
      [incident] = (
        await client.query(INSERT_INCIDENT, [
          agency.id, input.idempotencyKey, "raw-floor", body.sub, new Date(input.occurredAt), input.areaCode, input.location?.lat ?? null, input.location?.lng ?? null,
          cells.h3r5, cells.h3r6, cells.h3r7, cells.h3r8, cells.h3r9, personId, input.substances ?? [], input.dosesAdministered, input.outcome, called, arrived,
          responseMinutes(called, arrived), input.seenByParamedics, input.resupplyNeeded, input.kitsRequired ?? null, null, null, body.collarNumber,
          fa.triedToWakeVerbally, fa.tiltedHeadBack, fa.checkedBreathing, fa.recoveryPosition, fa.chestCompressions, fa.rescueBreaths, fa.clearedAirways, fa.checkedPulse, null,
        ])
      ).rows;
      trail.add({ action: "INCIDENT_RECORDED", entityType: "Incident", entityId: incident.id, personId, detail: { areaCode: input.areaCode, withPersonDetails: !!input.person } });
      const c = input.consent;
      const [consent] = (
        await client.query(
          `INSERT INTO consent ("personId", "incidentId", decision, purposes, "recipientKinds", "recipientAgencyCodes", method, "obtainedAt", "expiresAt", "recordedByAgencyId", "recordedBySub")
           VALUES ($1, $2, $3, $4::purpose[], $5::agency_kind[], $6, $7, $8, $9, $10, $11) RETURNING id`,
          [personId, incident.id, c.decision, c.purposes, c.recipientKinds ?? [], c.recipientAgencyCodes ?? [], c.method, now, null, agency.id, body.sub],
        )
      ).rows;
      trail.add({ action: "CONSENT_GIVEN", entityType: "Consent", entityId: consent.id, personId, detail: { purposes: c.purposes, recipientKinds: c.recipientKinds ?? [], recipientAgencyCodes: [], method: c.method, incidentId: incident.id } });
      await routeIncidents(m, { dataSource: null as never, config, clock: systemClock, pubsub: null as never }, trail, [incident.id]);
      await writeAudit(m, actor, trail.entries);
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK");
      throw e;
    }
    // The response names the person: its read audit, one INSERT on its own.
    await writeAudit(m, actor, { action: "PERSON_READ", entityType: "Person", entityId: personId, personId, basis: "RECORDING_AGENCY", purpose: null, fields: ["familyName", "givenName"] });
    // The spike checks, shared by concurrent recordings of one scope exactly as the hub shares them.
    client.release();
    released = true;
    await spikeFlights.run(`${incident.areaCode}|${incident.h3r7 ?? ""}`, async () => {
      const c2 = await pool.connect();
      try {
        const at = new Date();
        for (const [key, byCell] of [[incident.areaCode, false], ...(incident.h3r7 ? [[incident.h3r7, true]] : [])] as Array<[string, boolean]>) {
          await c2.query("BEGIN");
          await c2.query(`SELECT pg_advisory_xact_lock(hashtext('spike:' || $1 || ':' || coalesce($2, '')))`, [incident.areaCode, byCell ? key : null]);
          await c2.query(spikeCountsSql(byCell), [key, at]);
          await c2.query(`SELECT * FROM spike_alert a WHERE a."areaCode" = $1 AND a."closedAt" IS NULL AND ${byCell ? "a.h3 = $2" : "a.h3 IS NULL"}`, byCell ? [incident.areaCode, key] : [incident.areaCode]);
          await c2.query("COMMIT");
        }
      } finally {
        c2.release();
      }
    });
    return { id: incident.id };
  } finally {
    if (!released) client.release();
  }
}

const spikeFlights = new TrailingSingleFlight();

/** The floor: each route is one hand-written statement, its rows sent as JSON. */
export function rawSqlApp(pool: pg.Pool, config?: Config): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json());
  const wrap = (fn: (req: express.Request) => Promise<unknown>) => (req: express.Request, res: express.Response) => {
    fn(req).then(
      (body) => res.json(body),
      (e: Error) => res.status(500).json({ error: e.message }),
    );
  };
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.post(
    "/inbox",
    wrap(async (req) => {
      const { rows } = await pool.query(INBOX_SQL, [req.body.agencyId, req.body.first]);
      return { edges: rows[0].edges };
    }),
  );
  app.post(
    "/heatmap",
    wrap(async (req) => {
      const column = CELL[String(req.body.resolution)];
      if (!column) throw new Error("resolution");
      const { rows } = await pool.query(heatmapSql(column), [req.body.from, req.body.to]);
      return { cells: rows };
    }),
  );
  app.post(
    "/heatmap-keyed",
    wrap(async (req) => {
      const column = CELL[String(req.body.resolution)];
      if (!column) throw new Error("resolution");
      const { rows } = await pool.query(heatmapKeyedSql(column), [req.body.from, req.body.to]);
      return { cells: rows };
    }),
  );
  app.post(
    "/kpis-keyed",
    wrap(async (req) => {
      const { rows } = await pool.query(KPI_KEYED_SQL, [req.body.from, req.body.to, req.body.agencyCodes]);
      return rows[0];
    }),
  );
  app.post(
    "/record",
    wrap(async (req) => {
      if (!config) throw new Error("no configuration");
      return rawRecord(pool, config, req.body);
    }),
  );
  app.post(
    "/kpis",
    wrap(async (req) => {
      const { rows } = await pool.query(KPI_SQL, [req.body.from, req.body.to, req.body.agencyCodes]);
      return rows[0];
    }),
  );
  return app;
}

async function listen(server: http.Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error("DATABASE_URL must be set for the bench servers");
  const bench = benchConfig();
  const logger = createLogger(config);
  const pubsub = createHubPubSub(config, logger);
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  const deps = { config, dataSource, logger, clock: systemClock, pubsub };
  const guarded = await createHubServer(deps);
  const bare = await createHubServer(deps, { schema: await buildBareSchema(pubsub) });
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10, application_name: "naloxone-hub-bench-raw" });
  const raw = http.createServer(rawSqlApp(pool, config));
  await listen(guarded.httpServer, bench.port + 1);
  await listen(bare.httpServer, bench.port + 2);
  await listen(raw, bench.port + 3);
  process.stdout.write(`bench servers: guarded ${bench.port + 1}, bare ${bench.port + 2}, raw SQL ${bench.port + 3}\n`);
  const stop = async () => {
    await guarded.stop();
    await bare.stop();
    await new Promise<void>((resolve) => raw.close(() => resolve()));
    await pool.end();
    await pubsub.close();
    await dataSource.destroy();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`bench servers failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
