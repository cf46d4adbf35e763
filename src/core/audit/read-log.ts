import type { EntityManager } from "typeorm";
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
