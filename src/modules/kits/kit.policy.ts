import type { InputProblem } from "../../core/errors.js";
import { KitDiscrepancyKind, StockLocationKind, StockMovementKind } from "./kit.enums.js";

// Pure rules of kit stock: what a movement may be, how kits are drawn, what reconciles. No I/O.

/** Police nasal kits hold two doses (domain brief §5.3 Table C). */
export const DOSES_PER_KIT = 2;
/** Where ISSUED kits come from and RETURNED kits go when the movement names no other place. */
export const DEFAULT_STORE = { kind: StockLocationKind.STORE, reference: "MAIN" } as const;
export const MAX_KITS_PER_MOVEMENT = 100_000;

export interface LocationRef {
  kind: StockLocationKind;
  reference: string;
}

export interface MovementFacts {
  kind: StockMovementKind;
  kits: number;
  batch?: string | null;
  expiresOn?: string | null;
  location: LocationRef;
  from?: LocationRef | null;
  to?: LocationRef | null;
  at: Date;
}

export const sameLocation = (a: LocationRef, b: LocationRef) => a.kind === b.kind && a.reference === b.reference;
export const locationKey = (l: LocationRef) => `${l.kind}:${l.reference}`;
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * A kit counts as used once any of its doses is given (brief §6.6 Q41): an administration of n doses
 * used ceil(n / 2) kits.
 */
export const kitsUsedFor = (doses: number): number => Math.max(1, Math.ceil(doses / DOSES_PER_KIT));

/** Where the kits leave from and arrive at, for each kind of movement. */
export function movementEnds(m: Pick<MovementFacts, "kind" | "location" | "from" | "to">): { out: LocationRef | null; into: LocationRef | null } {
  switch (m.kind) {
    case StockMovementKind.PROCURED:
      return { out: null, into: m.location };
    case StockMovementKind.ISSUED:
      return { out: m.from ?? DEFAULT_STORE, into: m.location };
    case StockMovementKind.RETURNED:
      return { out: m.location, into: m.to ?? DEFAULT_STORE };
    default:
      return { out: m.location, into: null };
  }
}

/** Every broken rule of a movement that needs no stock lookup, as {field, rule}; values never echoed. */
export function checkMovement(m: MovementFacts, now: Date, clockSkewSeconds: number): InputProblem[] {
  const out: InputProblem[] = [];
  if (!Number.isInteger(m.kits) || m.kits <= 0) out.push({ field: "kits", rule: "must be a whole number above 0" });
  else if (m.kits > MAX_KITS_PER_MOVEMENT) out.push({ field: "kits", rule: `must not exceed ${MAX_KITS_PER_MOVEMENT}` });
  if (m.at.getTime() > now.getTime() + clockSkewSeconds * 1000) out.push({ field: "at", rule: "must not be in the future" });
  if (m.kind === StockMovementKind.PROCURED) {
    if (!m.batch) out.push({ field: "batch", rule: "is required when kits are procured" });
    if (!m.expiresOn) out.push({ field: "expiresOn", rule: "is required when kits are procured" });
    else if (!isDate(m.expiresOn)) out.push({ field: "expiresOn", rule: "must be a real date" });
    else if (m.expiresOn <= m.at.toISOString().slice(0, 10)) out.push({ field: "expiresOn", rule: "must be after the procurement date" });
  } else if (m.expiresOn) {
    out.push({ field: "expiresOn", rule: "is given only when kits are procured (a batch's expiry is fixed then)" });
  }
  if (m.from && m.kind !== StockMovementKind.ISSUED) out.push({ field: "from", rule: "is given only for ISSUED movements" });
  if (m.to && m.kind !== StockMovementKind.RETURNED) out.push({ field: "to", rule: "is given only for RETURNED movements" });
  const ends = movementEnds(m);
  if (ends.out && ends.into && sameLocation(ends.out, ends.into)) out.push({ field: "location", rule: "must differ from where the kits come from or go to" });
  if (m.kind === StockMovementKind.RETURNED && m.location.kind === StockLocationKind.STORE && !m.to) {
    out.push({ field: "to", rule: "is required when a store returns kits" });
  }
  return out;
}

export interface Position {
  batchId: string;
  batch: string;
  expiresOn: string;
  kits: number;
}

/**
 * Draws `kits` from the positions held at one place, first expiry first out, or from the named batch
 * only. Null when there are not enough: the movement would take stock below zero there.
 */
export function draw(positions: readonly Position[], kits: number, batch?: string | null): Array<{ batchId: string; kits: number }> | null {
  const pool = positions
    .filter((p) => p.kits > 0 && (!batch || p.batch === batch))
    .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.batch.localeCompare(b.batch));
  const out: Array<{ batchId: string; kits: number }> = [];
  let left = kits;
  for (const p of pool) {
    if (left === 0) break;
    const take = Math.min(left, p.kits);
    out.push({ batchId: p.batchId, kits: take });
    left -= take;
  }
  return left === 0 ? out : null;
}

/** Open resupply requests an issue of `kits` meets, oldest first, while the whole of each is covered. */
export function requestsMet(open: ReadonlyArray<{ id: string; kitsRequested: number }>, kits: number): string[] {
  const met: string[] = [];
  let left = kits;
  for (const r of open) {
    if (r.kitsRequested > left) break;
    met.push(r.id);
    left -= r.kitsRequested;
  }
  return met;
}

export interface HolderFlows {
  location: LocationRef;
  issued: number;
  used: number;
  expired: number;
  lost: number;
  returned: number;
  /** The latest physical count there, and what the ledger expected at that moment. */
  count: { kits: number; at: Date; expectedAtCount: number } | null;
}

export interface ReconciledHolder extends HolderFlows {
  expectedOnHand: number;
}

export interface Discrepancy {
  kind: KitDiscrepancyKind;
  location: LocationRef;
  expected: number;
  found: number;
  difference: number;
}

/**
 * Issued - used - expired - lost - returned at each holder (officer, vehicle, station), against what a
 * count found there; and each officer whose recorded administrations used more kits than they held.
 */
export function reconcile(holders: readonly HolderFlows[], unmatchedUse: ReadonlyArray<{ location: LocationRef; kits: number }>): { holders: ReconciledHolder[]; discrepancies: Discrepancy[] } {
  const rows = holders.map((h) => ({ ...h, expectedOnHand: h.issued - h.used - h.expired - h.lost - h.returned }));
  const discrepancies: Discrepancy[] = [];
  for (const h of rows) {
    if (h.count && h.count.kits !== h.count.expectedAtCount) {
      discrepancies.push({ kind: KitDiscrepancyKind.COUNT_MISMATCH, location: h.location, expected: h.count.expectedAtCount, found: h.count.kits, difference: h.count.kits - h.count.expectedAtCount });
    }
  }
  for (const u of unmatchedUse) {
    if (u.kits > 0) discrepancies.push({ kind: KitDiscrepancyKind.USED_NOT_ISSUED, location: u.location, expected: 0, found: -u.kits, difference: -u.kits });
  }
  discrepancies.sort((a, b) => locationKey(a.location).localeCompare(locationKey(b.location)) || a.kind.localeCompare(b.kind));
  return { holders: rows, discrepancies };
}
