import type { DataSource, EntityManager } from "typeorm";
import { safeErrorForLog } from "../format-error.js";
import type { Logger } from "../logger.js";
import type { Actor } from "../auth/actor.js";
import { writeAudit, type AuditEntry } from "./audit.js";

interface Pending {
  personId: string;
  permitted: boolean;
  basis: string;
  purpose: string | null;
  fields: Set<string>;
}

/**
 * Collects the identifying fields a request resolved (or was refused), so the audit gets one row
 * per (request, person, outcome) naming the fields. Written before the response leaves; if the
 * write fails, the response is replaced by an error (fail closed).
 */
export class ReadLog {
  private readonly pending = new Map<string, Pending>();

  note(personId: string, field: string, permitted: boolean, basis: string, purpose: string | null): void {
    const key = `${personId}|${permitted}|${basis}|${purpose ?? ""}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { personId, permitted, basis, purpose, fields: new Set() };
      this.pending.set(key, p);
    }
    p.fields.add(field);
  }

  get size(): number {
    return this.pending.size;
  }

  entries(): AuditEntry[] {
    return [...this.pending.values()].map((p) => ({
      action: p.permitted ? "PERSON_READ" : "PERSON_READ_DENIED",
      entityType: "Person",
      entityId: p.personId,
      personId: p.personId,
      basis: p.basis,
      purpose: p.purpose,
      fields: [...p.fields].sort(),
    }));
  }

  async flush(manager: EntityManager, actor: Actor | null): Promise<void> {
    if (this.pending.size === 0) return;
    await writeAudit(manager, actor, this.entries());
    this.pending.clear();
  }
}

/**
 * Writes a request's (or a subscription event's) identifying reads before the answer leaves. One
 * multi-row INSERT is atomic on its own (and takes no lock), so no BEGIN/COMMIT round trips. If it fails, the answer is withheld: the
 * returned error result replaces it (fail closed). Returns null when the answer may go.
 */
export async function auditReadsOrWithhold(
  deps: { dataSource: DataSource; logger: Logger },
  ctx: { readLog: ReadLog; actor: Actor | null; requestId: string },
): Promise<{ errors: Array<{ message: string; extensions: Record<string, unknown> }> } | null> {
  if (ctx.readLog.size === 0) return null;
  try {
    await ctx.readLog.flush(deps.dataSource.manager, ctx.actor);
    return null;
  } catch (e) {
    deps.logger.error({ requestId: ctx.requestId, err: safeErrorForLog(e) }, "audit write failed: answer withheld");
    return { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: ctx.requestId } }] };
  }
}
