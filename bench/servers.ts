// The benchmark's comparison servers, in one process (never part of the production server):
//   BENCH_PORT+1  the hub's schema with the permission layer (a twin of the production hub, same process as the others)
//   BENCH_PORT+2  the same schema without the shield permission layer (buildBareSchema)
//   BENCH_PORT+3  hand-written SQL returning JSON: the floor (no authorisation, consent or audit)
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

/** The floor: each route is one hand-written statement, its rows sent as JSON. */
export function rawSqlApp(pool: pg.Pool): express.Express {
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
  const raw = http.createServer(rawSqlApp(pool));
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
