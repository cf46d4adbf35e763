import { ClassType, Field, ObjectType } from "type-graphql";
import { badInput } from "./errors.js";

@ObjectType({ description: "Where a page ends and whether another follows" })
export class PageInfo {
  @Field({ description: "True when more items follow this page" }) hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: "Pass as `after` to fetch the next page; null on an empty page" }) endCursor: string | null;
}

/** Opaque cursor over a (timestamp, id) sort key. */
export interface CursorKey {
  t: string;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.t, key.id])).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined): CursorKey | null {
  if (!cursor) return null;
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof t === "string" && typeof id === "string" && !Number.isNaN(Date.parse(t))) return { t, id };
  } catch {
    // fall through
  }
  throw badInput([{ field: "after", rule: "is not a cursor this API issued" }]);
}

export function pageSize(first: number | null | undefined, limits: { default: number; max: number }): number {
  if (first === null || first === undefined) return limits.default;
  if (!Number.isInteger(first) || first < 1 || first > limits.max) {
    throw badInput([{ field: "first", rule: `must be from 1 to ${limits.max}` }]);
  }
  return first;
}

/** Base class for a Relay-style connection (edges { cursor node } + pageInfo); subclass it with @ObjectType. */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor` })
  class Edge {
    @Field({ description: "Opaque position of this item: pass as `after` to continue after it" }) cursor: string;
    @Field(() => nodeType, { description: `The ${name}` }) node: T;
  }
  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [Edge], { description: "The items of this page, in order" }) edges: Edge[];
    @Field(() => PageInfo, { description: "Whether another page follows, and its cursor" }) pageInfo: PageInfo;
  }
  return ConnectionClass;
}

/**
 * Turns one page fetched with LIMIT size + 1 into a connection: the extra row only tells whether
 * there is a next page. `keyOf` gives each node's sort key for its cursor.
 */
export function toConnection<T>(rows: T[], size: number, keyOf: (node: T) => CursorKey): { edges: Array<{ node: T; cursor: string }>; pageInfo: PageInfo } {
  const edges = rows.slice(0, size).map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}
