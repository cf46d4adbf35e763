import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity.js";
import { createHash } from "node:crypto";

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined && (value as Record<string, unknown>)[k] !== null)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Fingerprint of a create request, so a retry with the same idempotency key and the same payload
 * returns the first record while the same key with a different payload is a CONFLICT. Absent and
 * null fields are the same thing.
 */
export function requestHash(payload: Record<string, unknown>, omit: string[] = ["idempotencyKey"]): string {
  const copy = Object.fromEntries(Object.entries(payload).filter(([k]) => !omit.includes(k)));
  return createHash("sha256").update(JSON.stringify(canonical(copy))).digest("hex");
}

/** Thrown inside a create transaction when a concurrent request with the same key committed first. */
export class LostRace extends Error {}

/**
 * Create-once under retries and concurrency: an earlier record with the same key is returned when
 * its payload matches (CONFLICT otherwise); the insert itself relies on a unique constraint, and a
 * request that loses the race rolls back (throwing LostRace) and answers with the winner.
 */
export async function createOnce<T extends { requestHash: string }>(opts: {
  hash: string;
  find: () => Promise<T | null>;
  validate: () => void | Promise<void>;
  create: () => Promise<T>;
  onConflict: () => Error;
}): Promise<T> {
  const replay = (existing: T): T => {
    if (existing.requestHash !== opts.hash) throw opts.onConflict();
    return existing;
  };
  const earlier = await opts.find();
  if (earlier) return replay(earlier);
  await opts.validate();
  try {
    return await opts.create();
  } catch (e) {
    if (!(e instanceof LostRace)) throw e;
    const winner = await opts.find();
    if (!winner) throw e;
    return replay(winner);
  }
}

/**
 * The insert inside createOnce's `create`: relies on the unique constraint (ON CONFLICT DO NOTHING)
 * and throws LostRace when a concurrent request with the same key committed first.
 */
export async function insertOnce<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, values: QueryDeepPartialEntity<T>): Promise<string> {
  const result = await m.createQueryBuilder().insert().into(entity).values(values).orIgnore().returning(["id"]).execute();
  const id = (result.raw as Array<{ id: string }>)[0]?.id;
  if (!id) throw new LostRace();
  return id;
}
