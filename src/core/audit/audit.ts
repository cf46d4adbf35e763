import type { EntityManager } from "typeorm";
import type { Actor } from "../auth/actor.js";

/** What a service says happened; the audit writer adds who and when from the actor. */
export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  personId?: string | null;
  purpose?: string | null;
  basis?: string | null;
  fields?: string[];
  detail?: Record<string, unknown>;
}

/**
 * Writes audit rows inside the caller's transaction, so a write and its audit row commit together
 * or not at all; if the audit row cannot be written the whole request fails (fail closed).
 * No lock is taken: the sealer (sealer.ts) gives committed rows their place in the Merkle tree.
 */
export async function writeAudit(manager: EntityManager, actor: Actor | null, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const cols = ["requestId", "actorSub", "actorAgencyCode", "actorRoles", "action", "entityType", "entityId", "personId", "purpose", "basis", "fields", "detail"];
  const params: unknown[] = [];
  const rows = list.map((e) => {
    const values = [
      actor?.requestId ?? null,
      actor?.sub ?? null,
      actor?.agency.code ?? null,
      actor?.roles ?? [],
      e.action,
      e.entityType,
      e.entityId ?? null,
      e.personId ?? null,
      e.purpose ?? null,
      e.basis ?? null,
      e.fields ?? [],
      JSON.stringify(e.detail ?? {}),
    ];
    const placeholders = values.map((v) => {
      params.push(v);
      return `$${params.length}`;
    });
    return `(${placeholders.join(", ")})`;
  });
  await manager.query(
    `INSERT INTO audit_event (${cols.map((c) => `"${c}"`).join(", ")}) VALUES ${rows.join(", ")}`,
    params,
  );
}

/** Audit entries gathered during one transaction. */
export class AuditTrail {
  readonly entries: AuditEntry[] = [];
  add(...entries: AuditEntry[]): void {
    this.entries.push(...entries);
  }
}

/**
 * Runs `work` in a transaction and writes its audit trail as its last statement. The write and its
 * audit rows commit together or not at all. (The insert takes no lock; sealing happens after commit.)
 */
export function auditedTransaction<T>(
  ds: { transaction<R>(fn: (m: EntityManager) => Promise<R>): Promise<R> },
  actor: Actor | null,
  work: (m: EntityManager, trail: AuditTrail) => Promise<T>,
): Promise<T> {
  return ds.transaction(async (m) => {
    const trail = new AuditTrail();
    const result = await work(m, trail);
    await writeAudit(m, actor, trail.entries);
    return result;
  });
}
