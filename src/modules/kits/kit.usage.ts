import type { EntityManager } from "typeorm";
import type { AuditTrail } from "../../core/audit/audit.js";
import { insertOnce } from "../../core/idempotency.js";
import { StockMovement } from "./kit.entity.js";
import { StockLocationKind, StockMovementKind } from "./kit.enums.js";
import { lockForceStock, positionsAt, writeLines } from "./kit.ledger.js";
import { draw, kitsUsedFor } from "./kit.policy.js";

export interface RecordedAdministration {
  agencyId: string;
  incidentId: string;
  collarNumber: string | null;
  dosesAdministered: number;
  occurredAt: Date;
  resupplyNeeded: boolean;
  kitsRequired: number | null;
  recordedBySub: string;
}

/**
 * Called inside the incident's transaction (before its audit row): the form's resupply request
 * becomes an open request, and the kits the officer used come off what the officer was issued (as
 * many as they hold; any shortfall shows in reconciliation as USED_NOT_ISSUED). A replayed form never
 * reaches here, and the incident id is unique on both rows.
 */
export async function recordAdministrationKits(m: EntityManager, trail: AuditTrail, a: RecordedAdministration): Promise<void> {
  if (a.resupplyNeeded && a.kitsRequired && a.kitsRequired > 0) {
    await m.query(
      `INSERT INTO resupply_request ("agencyId", "incidentId", "collarNumber", "kitsRequested", "openedAt") VALUES ($1, $2, $3, $4, $5)`,
      [a.agencyId, a.incidentId, a.collarNumber, a.kitsRequired, a.occurredAt],
    );
  }
  if (!a.collarNumber) return;
  const holder = { kind: StockLocationKind.OFFICER, reference: a.collarNumber };
  // An officer holding no kits needs no lock (most recordings where stock is not kept in the hub);
  // otherwise lock the force's stock and read again, as a concurrent movement may have drawn them.
  if ((await positionsAt(m, a.agencyId, holder)).length === 0) return;
  await lockForceStock(m, a.agencyId);
  const positions = await positionsAt(m, a.agencyId, holder);
  const held = positions.reduce((s, p) => s + p.kits, 0);
  const kits = Math.min(kitsUsedFor(a.dosesAdministered), held);
  if (kits === 0) return;
  const taken = draw(positions, kits)!;
  const id = await insertOnce(m, StockMovement, {
    agencyId: a.agencyId,
    idempotencyKey: `~incident:${a.incidentId}`,
    requestHash: "administration",
    kind: StockMovementKind.USED,
    kits,
    locationKind: holder.kind,
    locationRef: holder.reference,
    at: a.occurredAt,
    incidentId: a.incidentId,
    recordedBySub: a.recordedBySub,
  });
  await writeLines(m, a.agencyId, id, a.occurredAt, taken.map((t) => ({ location: holder, batchId: t.batchId, delta: -t.kits })));
  trail.add({ action: "STOCK_MOVEMENT_RECORDED", entityType: "StockMovement", entityId: id, detail: { kind: StockMovementKind.USED, kits, fromAdministration: true } });
}
