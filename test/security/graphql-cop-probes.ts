/**
 * graphql-cop 1.15's own probes (github.com/dolevf/graphql-cop, commit 2b7e086, lib/tests/*.py and
 * lib/utils.py), transcribed request for request with the tool's own pass criteria. graphql-cop is a
 * Python tool and no npm package carries it, so the probes are reproduced here: each `probe` sends
 * exactly the request the tool sends (same method, body shape, operationName "cop", headers) and
 * returns the tool's verdict (`true` = the tool reports a finding).
 */
export interface CopProbe {
  /** The key in graphql-cop's `tests` table. */
  name: string;
  title: string;
  severity: "HIGH" | "MEDIUM" | "LOW" | "INFO";
  probe(url: string): Promise<boolean>;
}

const HEADERS = { "User-Agent": "graphql-cop/1.15", Accept: "*/*" };

/** lib/utils.py graph_query: POST JSON `{query, operationName: "cop"}`, or a batch of 10 `{query}`. */
async function graphQuery(url: string, payload: string, batch = false): Promise<unknown> {
  const data = batch ? Array.from({ length: 10 }, () => ({ query: payload })) : { query: payload, operationName: "cop" };
  const res = await fetch(url, { method: "POST", headers: { ...HEADERS, "Content-Type": "application/json" }, body: JSON.stringify(data) });
  return json(res);
}

/** lib/utils.py request: GET with params, or POST of form data. */
async function plainRequest(url: string, opts: { params?: Record<string, string>; data?: Record<string, string>; verb?: "GET" | "POST"; headers?: Record<string, string> }): Promise<{ text: string; body: unknown }> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(opts.params ?? {})) target.searchParams.set(k, v);
  const init: RequestInit = { method: opts.verb ?? "GET", headers: { ...HEADERS, ...opts.headers } };
  if (opts.data) {
    init.body = new URLSearchParams(opts.data).toString();
    (init.headers as Record<string, string>)["Content-Type"] = "application/x-www-form-urlencoded";
  }
  const res = await fetch(target, init);
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // the tool's `except: pass`
  }
  return { text, body };
}

async function json(res: Response): Promise<unknown> {
  try {
    return JSON.parse(await res.text());
  } catch {
    return undefined;
  }
}

/** Python's `try: … except: pass`: any missing key or wrong type is "no finding". */
const attempt = (f: () => unknown): boolean => {
  try {
    return !!f();
  } catch {
    return false;
  }
};
const any = (v: unknown) => v as any;

export const COP_PROBES: CopProbe[] = [
  {
    name: "field_suggestions",
    title: "Field Suggestions",
    severity: "LOW",
    probe: async (url) => {
      const r = any(await graphQuery(url, "query cop { __schema { directive } }"));
      return attempt(() => String(r.errors[0].message).includes("Did you mean"));
    },
  },
  {
    name: "introspection",
    title: "Introspection",
    severity: "HIGH",
    probe: async (url) => {
      const r = any(await graphQuery(url, "query cop { __schema { types { name fields { name } } } }"));
      return attempt(() => r.data.__schema.types && r.data.__schema.types.length > 0);
    },
  },
  {
    name: "detect_graphiql",
    title: "GraphQL IDE",
    severity: "LOW",
    probe: async (url) => {
      const { text } = await plainRequest(url, { headers: { Accept: "text/html" } });
      return ["graphiql.min.css", "GraphQL Playground", "GraphiQL", "graphql-playground"].some((w) => text.includes(w));
    },
  },
  {
    name: "get_method_support",
    title: "GET Method Query Support",
    severity: "MEDIUM",
    probe: async (url) => {
      const { body } = await plainRequest(url, { params: { query: "query cop {__typename}" } });
      return attempt(() => any(body).data.__typename);
    },
  },
  {
    name: "alias_overloading",
    title: "Alias Overloading",
    severity: "HIGH",
    probe: async (url) => {
      let aliases = "";
      for (let i = 0; i < 101; i++) aliases += `alias${i}:__typename \n`;
      const r = any(await graphQuery(url, "query cop { " + aliases + " }"));
      return attempt(() => r.data.alias100);
    },
  },
  {
    name: "batch_query",
    title: "Array-based Query Batching",
    severity: "HIGH",
    probe: async (url) => {
      const r = any(await graphQuery(url, "query cop { __typename }", true));
      // Python's len(): a list's length, or a dict's number of keys.
      return attempt(() => (Array.isArray(r) ? r.length : Object.keys(r).length) >= 10);
    },
  },
  {
    name: "trace_mode",
    title: "Trace Mode",
    severity: "INFO",
    probe: async (url) => {
      const r = any(await graphQuery(url, "query cop { __typename }"));
      if (attempt(() => r.errors[0].extensions.tracing)) return true;
      return JSON.stringify(r ?? null).toLowerCase().replace(/\s/g, "").includes('"extensions":{"tracing":');
    },
  },
  {
    name: "directive_overloading",
    title: "Directive Overloading",
    severity: "HIGH",
    probe: async (url) => {
      const r = any(await graphQuery(url, "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }"));
      return attempt(() => r.errors.length === 10);
    },
  },
  {
    name: "circular_query_introspection",
    title: "Introspection-based Circular Query",
    severity: "HIGH",
    probe: async (url) => {
      const q = "query cop { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }";
      const r = any(await graphQuery(url, q));
      return attempt(() => r.data.__schema.types.length > 25);
    },
  },
  {
    name: "get_based_mutation",
    title: "Mutation is allowed over GET (possible CSRF)",
    severity: "MEDIUM",
    probe: async (url) => {
      const { body } = await plainRequest(url, { params: { query: "mutation cop {__typename}" } });
      return attempt(() => any(body).data.__typename);
    },
  },
  {
    name: "post_based_csrf",
    title: "POST based url-encoded query (possible CSRF)",
    severity: "MEDIUM",
    probe: async (url) => {
      const { body } = await plainRequest(url, { data: { query: "query cop { __typename }" }, verb: "POST" });
      return attempt(() => any(body).data.__typename);
    },
  },
  {
    name: "unhandled_error_detection",
    title: "Unhandled Errors Detection",
    severity: "INFO",
    probe: async (url) => {
      const r = any(await graphQuery(url, "qwerty cop { abc }"));
      if (attempt(() => r.errors[0].extensions.exception)) return true;
      return JSON.stringify(r ?? null).toLowerCase().replace(/\s/g, "").includes('"extensions":{"exception":');
    },
  },
];

/**
 * The tool's field-duplication probe (500 repeated `__typename`). graphql-cop 1.15 leaves it out of
 * its `tests` table (its issue #43: a repeated field is merged, not run 500 times); kept here so the
 * hub's own stricter check (3,000 fields refused) sits beside the tool's.
 */
export const COP_EXCLUDED_FIELD_DUPLICATION: CopProbe = {
  name: "field_duplication",
  title: "Field Duplication",
  severity: "HIGH",
  probe: async (url) => {
    const r = any(await graphQuery(url, "query cop { " + "__typename \n".repeat(500) + "} "));
    return attempt(() => r.data.__typename);
  },
};

/** lib/utils.py is_graphql: the tool only scans an endpoint that answers `query cop { __typename }`. */
export async function isGraphql(url: string): Promise<boolean> {
  const r = any(await graphQuery(url, "query cop {\n      __typename\n    }"));
  return attempt(() => r.data && ["Query", "QueryRoot", "query_root", "Root"].includes(r.data.__typename));
}
