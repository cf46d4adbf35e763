// The only way the dashboard gets data: the hub's public GraphQL API (and its CSV exports), with the
// user's bearer token. Operations and their types are generated from schema/schema.graphql and
// operations.graphql by `npm run codegen` (generated/graphql.ts); partners can copy both.

import type { TypedDocumentString } from "./generated/graphql.js";
export * from "./generated/graphql.js";

const TOKEN_KEY = "naloxone-hub.token";

/** The token lives in sessionStorage only: gone when the tab closes, never in localStorage or a cookie. */
export const session = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

/** A GraphQL error answer, with the hub's stable `extensions.code` (UNAUTHENTICATED, FORBIDDEN, …). */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const authHeaders = (): Record<string, string> => {
  const token = session.get();
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** POSTs one generated operation to /graphql on this hub. Throws ApiError on any error in the answer. */
export async function gql<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const res = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders() },
    body: JSON.stringify({ query: document, variables }),
  });
  let body: { data?: R; errors?: GqlError[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError("HTTP_" + res.status, `The hub answered HTTP ${res.status}`);
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new ApiError(e.extensions?.code ?? "UNKNOWN", e.message);
  }
  return body.data as R;
}

/** The export URL of a panel's figures: GET /export/<name>.csv with the panel's filter. */
export function exportUrl(name: string, params: Record<string, string | string[] | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    q.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const s = q.toString();
  return `/export/${name}.csv${s ? `?${s}` : ""}`;
}

/** Downloads a CSV export with the user's token (a link cannot carry it) and offers it as a file. */
export async function downloadCsv(url: string, filename: string): Promise<void> {
  const res = await fetch(url, { headers: authHeaders() });
  if (!res.ok) {
    let code = `HTTP_${res.status}`;
    try {
      code = (await res.json()).errors?.[0]?.extensions?.code ?? code;
    } catch {
      // not JSON
    }
    throw new ApiError(code, `The export was refused (${code})`);
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement("a"), { href, download: filename });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** The WebSocket URL of this hub's graphql-ws endpoint (same host, same path as queries). */
export function subscriptionUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
}

/** A published count. */
export interface Count {
  count: number | null;
  suppressed: boolean;
}

/** A heat-map cell as the API's GeoJSON gives it. */
export interface CellFeature {
  type: "Feature";
  id: string;
  geometry: { type: "Polygon"; coordinates: number[][][] };
  properties: Count;
}
