import type { ApolloServer } from "@apollo/server";
import { Router, type Request } from "express";
import { writeAudit } from "../../core/audit/audit.js";
import type { Context } from "../../core/context.js";
import { toCsv } from "./csv.js";
import { EXPORTS } from "./exports.js";

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404, RATE_LIMITED: 429 };

/**
 * GET /export/<name>.csv with a bearer token: runs the export's GraphQL operation through Apollo
 * with the caller's context (the same permission map, consent rules, audit and limits as POST
 * /graphql), writes an EXPORT_CSV audit row, and answers the published figures as CSV. Errors
 * answer as GraphQL errors in JSON with the matching HTTP status.
 */
export function exportRouter(apollo: ApolloServer<Context>, contextFor: (req: Request) => Promise<Context>): Router {
  const router = Router();
  router.get("/:file", async (req, res, next) => {
    try {
      const m = /^([a-z-]+)\.csv$/.exec(req.params.file);
      const spec = m ? EXPORTS[m[1]] : undefined;
      if (!m || !spec) return res.status(404).json({ errors: [{ message: `No such export; exports are ${Object.keys(EXPORTS).map((n) => `${n}.csv`).join(", ")}`, extensions: { code: "NOT_FOUND" } }] });
      res.setHeader("Cache-Control", "no-store");
      const params = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === "string")) as Record<string, string>;
      let ctx: Context;
      try {
        ctx = await contextFor(req);
      } catch (e) {
        const code = String((e as { extensions?: { code?: string } }).extensions?.code ?? "");
        if (code !== "UNAUTHENTICATED") throw e;
        return res.status(401).json({ errors: [{ message: (e as Error).message, extensions: { code } }] });
      }
      let variables: Record<string, unknown>;
      try {
        variables = spec.variables(params);
      } catch (e) {
        const ext = (e as { extensions?: Record<string, unknown> }).extensions ?? { code: "BAD_USER_INPUT" };
        return res.status(400).json({ errors: [{ message: (e as Error).message, extensions: ext }] });
      }
      const response = await apollo.executeOperation({ query: spec.document, variables }, { contextValue: ctx });
      const result = response.body.kind === "single" ? response.body.singleResult : null;
      if (!result || result.errors?.length || !result.data) {
        const code = String(result?.errors?.[0]?.extensions?.code ?? "INTERNAL_SERVER_ERROR");
        return res.status(STATUS[code] ?? 500).json({ errors: result?.errors ?? [{ message: "Internal server error", extensions: { code } }] });
      }
      const { header, rows } = spec.rows(result.data);
      await ctx.dataSource.transaction((mgr) => writeAudit(mgr, ctx.actor, { action: "EXPORT_CSV", entityType: "Export", entityId: m[1], detail: { export: m[1], parameters: Object.keys(params).sort(), rows: rows.length } }));
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", `attachment; filename="${m[1]}.csv"`);
      res.status(200).send(toCsv(header, rows));
    } catch (e) {
      next(e);
    }
  });
  return router;
}
