import { Router } from "express";
import type { GraphQLSchema } from "graphql";
import type { AppDeps } from "../core/context.js";
import { ErrorCode } from "../core/errors.js";
import { safeErrorForLog } from "../core/format-error.js";
import type { SubjectAccessReport } from "../modules/subject-access/subject-access.types.js";
import { contextFor, httpStatusOf, runOperation, thrownCode } from "./execute.js";

export const SUBJECT_ACCESS_QUERY = `query SubjectAccessExport($personId: ID!) {
  subjectAccessReport(personId: $personId) {
    personId generatedAt identifyingDataHeld identifyingDataErasedAt refusedReads truncated
    records { kind id agencyCode at status }
    disclosures { at kind agencyCode actorSub basis purpose fields channel reference auditEventId requestId }
  }
}`;

export const CSV_COLUMNS = ["section", "at", "kind", "agency", "actor", "basis", "purpose", "fields", "channel", "reference", "record_id", "status"] as const;

/** One CSV cell: quoted, quotes doubled, and a leading = + - @ neutralised so no spreadsheet runs it. */
export function csvCell(value: unknown): string {
  let s = value == null ? "" : Array.isArray(value) ? value.join(" ") : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function subjectAccessCsv(r: SubjectAccessReport): string {
  const rows: unknown[][] = [
    ["person", r.generatedAt, "REPORT", "", "", "", "", r.identifyingDataHeld, "", r.identifyingDataErasedAt ?? "", r.personId, `refused reads: ${r.refusedReads}${r.truncated ? "; truncated" : ""}`],
    ...r.records.map((x) => ["record", x.at, x.kind, x.agencyCode, "", "", "", "", "", "", x.id, x.status ?? ""]),
    ...r.disclosures.map((d) => ["disclosure", d.at, d.kind, d.agencyCode, d.actorSub ?? "", d.basis ?? "", d.purpose ?? "", d.fields, d.channel, d.reference ?? "", d.auditEventId ?? "", ""]),
  ];
  return [CSV_COLUMNS.join(","), ...rows.map((row) => row.map(csvCell).join(","))].join("\r\n") + "\r\n";
}

const fail = (res: import("express").Response, code: ErrorCode, message: string, requestId?: string) =>
  res.status(httpStatusOf(code)).json({ error: { code, message, ...(requestId ? { requestId } : {}) } });

/**
 * GET /export/subject-access/<personId>.csv: the subject access report as CSV, through the same
 * permission map (AUDITOR), service and audit as the subjectAccessReport query.
 */
export function subjectAccessExportRouter(deps: AppDeps, schema: GraphQLSchema): Router {
  const router = Router();
  router.get("/:file", async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const m = /^([0-9a-fA-F-]{1,64})\.csv$/.exec(req.params.file);
    if (!m) return fail(res, ErrorCode.NOT_FOUND, "Use /export/subject-access/<personId>.csv");
    let ctx;
    try {
      ctx = await contextFor(deps, req.headers.authorization, "export");
    } catch (e) {
      const code = thrownCode(e);
      return fail(res, code === ErrorCode.INTERNAL_SERVER_ERROR ? code : ErrorCode.UNAUTHENTICATED, code === ErrorCode.INTERNAL_SERVER_ERROR ? "Internal server error" : "A valid bearer token is required");
    }
    res.setHeader("x-request-id", ctx.requestId);
    try {
      const result = await runOperation<{ subjectAccessReport: SubjectAccessReport }>(deps, schema, ctx, SUBJECT_ACCESS_QUERY, { personId: m[1] });
      if (!result.data?.subjectAccessReport) {
        const e = result.errors[0] ?? { code: ErrorCode.INTERNAL_SERVER_ERROR, message: "Internal server error" };
        return fail(res, e.code, e.message, e.code === ErrorCode.INTERNAL_SERVER_ERROR ? ctx.requestId : undefined);
      }
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", `attachment; filename="subject-access-${m[1]}.csv"`);
      return res.status(200).send(subjectAccessCsv(result.data.subjectAccessReport));
    } catch (e) {
      deps.logger.error({ requestId: ctx.requestId, err: safeErrorForLog(e) }, "subject access export failed");
      return fail(res, ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error", ctx.requestId);
    }
  });
  return router;
}
