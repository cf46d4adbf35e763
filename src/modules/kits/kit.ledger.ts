import type { EntityManager } from "typeorm";
import { badInput } from "../../core/errors.js";
import { StockLedgerLine } from "./kit.entity.js";
import { draw, movementEnds, type LocationRef, type MovementFacts, type Position } from "./kit.policy.js";

/**
 * Serialises stock changes of one force for the rest of the transaction, so two movements cannot
 * both draw the last kit. Taken before any audit row (the audit chain's lock comes last).
 */
export async function lockForceStock(m: EntityManager, agencyId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('stock:' || $1, 0))`, [agencyId]);
}

/** What is on hand at one location, by batch. */
export async function positionsAt(m: EntityManager, agencyId: string, at: LocationRef): Promise<Position[]> {
  return m.query(
    `SELECT l."batchId", b.batch, to_char(b."expiresOn", 'YYYY-MM-DD') AS "expiresOn", sum(l.delta)::int AS kits
       FROM stock_ledger l JOIN kit_batch b ON b.id = l."batchId"
      WHERE l."agencyId" = $1 AND l."locationKind" = $2 AND l."locationRef" = $3
      GROUP BY 1, 2, 3 HAVING sum(l.delta) > 0`,
    [agencyId, at.kind, at.reference],
  );
}

/**
 * Plans a movement's ledger lines: kits drawn at the place they leave (first expiry first out, or the
 * named batch) and the same batches arriving where they go. A shortfall is BAD_USER_INPUT on `kits`
 * and nothing is written. PROCURED lines come from the caller (the batch is known).
 */
export async function planLines(
  m: EntityManager,
  agencyId: string,
  move: Pick<MovementFacts, "kind" | "kits" | "batch" | "location" | "from" | "to">,
  procuredBatchId: string | null,
  positionsOf: (at: LocationRef) => Promise<Position[]> = (at) => positionsAt(m, agencyId, at),
): Promise<Array<{ location: LocationRef; batchId: string; delta: number }>> {
  const { out, into } = movementEnds(move);
  const taken = out ? draw(await positionsOf(out), move.kits, move.batch) : [{ batchId: procuredBatchId!, kits: move.kits }];
  if (!taken) {
    throw badInput([{ field: "kits", rule: move.batch ? "would take that batch's stock below zero at that location" : "would take stock below zero at that location" }]);
  }
  const lines: Array<{ location: LocationRef; batchId: string; delta: number }> = [];
  for (const t of taken) {
    if (out) lines.push({ location: out, batchId: t.batchId, delta: -t.kits });
    if (into) lines.push({ location: into, batchId: t.batchId, delta: t.kits });
  }
  return lines;
}

export async function writeLines(m: EntityManager, agencyId: string, movementId: string, at: Date, lines: Array<{ location: LocationRef; batchId: string; delta: number }>): Promise<void> {
  if (lines.length === 0) return;
  await m
    .createQueryBuilder()
    .insert()
    .into(StockLedgerLine)
    .values(lines.map((l) => ({ agencyId, movementId, at, locationKind: l.location.kind, locationRef: l.location.reference, batchId: l.batchId, delta: l.delta })))
    .execute();
}

/**
 * Positions kept in memory for a run of movements inside one locked transaction (the demo's bulk
 * load): read once per location, then moved by each movement's lines, so they match the ledger.
 */
export class PositionCache {
  private readonly byLocation = new Map<string, Position[]>();
  private readonly batches = new Map<string, { batch: string; expiresOn: string }>();
  constructor(private readonly m: EntityManager, private readonly agencyId: string) {}

  async of(at: LocationRef): Promise<Position[]> {
    const key = `${at.kind}:${at.reference}`;
    let p = this.byLocation.get(key);
    if (!p) {
      p = await positionsAt(this.m, this.agencyId, at);
      for (const x of p) this.batches.set(x.batchId, { batch: x.batch, expiresOn: x.expiresOn });
      this.byLocation.set(key, p);
    }
    return p;
  }

  noteBatch(batchId: string, batch: string, expiresOn: string): void {
    this.batches.set(batchId, { batch, expiresOn });
  }

  async apply(lines: ReadonlyArray<{ location: LocationRef; batchId: string; delta: number }>): Promise<void> {
    for (const l of lines) {
      const positions = await this.of(l.location);
      const p = positions.find((x) => x.batchId === l.batchId);
      if (p) p.kits += l.delta;
      else positions.push({ batchId: l.batchId, ...this.batches.get(l.batchId)!, kits: l.delta });
    }
  }
}
