import { getNamedType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLField, type GraphQLInputType } from "graphql";

export interface InputPath {
  /** e.g. ["input", "person", "givenName"]; a list element is addressed as index 0. */
  path: (string | number)[];
  type: GraphQLInputType;
}

/** Every argument and input field a mutation takes, at any depth, with its type. */
export function inputPaths(m: GraphQLField<unknown, unknown>): InputPath[] {
  const out: InputPath[] = [];
  const walk = (path: (string | number)[], type: GraphQLInputType, depth: number) => {
    out.push({ path, type });
    if (depth > 4) return;
    const t = isNonNullType(type) ? type.ofType : type;
    if (isListType(t)) return walk([...path, 0], t.ofType, depth + 1);
    if (isInputObjectType(t)) for (const f of Object.values(t.getFields())) walk([...path, f.name], f.type, depth + 1);
  };
  for (const a of m.args) walk([a.name], a.type, 0);
  return out;
}

/** The free-text inputs: String-typed fields and lists of them. */
export function stringPaths(m: GraphQLField<unknown, unknown>): InputPath[] {
  return inputPaths(m).filter((p) => {
    const named = getNamedType(p.type);
    const t = isNonNullType(p.type) ? p.type.ofType : p.type;
    return isScalarType(named) && named.name === "String" && !isListType(t);
  });
}

/** A deep copy of `base` with `value` at `path` (undefined removes the field). */
export function setAt(base: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  let node: any = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (node[key] === null || typeof node[key] !== "object") node[key] = typeof path[i + 1] === "number" ? [] : {};
    node = node[key];
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
