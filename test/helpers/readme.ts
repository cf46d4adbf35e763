import { parse, print } from "graphql";

export interface ReadmeToken {
  agency: string;
  role: string;
  sub?: string;
  collar?: string;
}

export interface ReadmeExample {
  /** README line of the fenced block holding the operation. */
  line: number;
  /** One operation, as printed by graphql-js. */
  source: string;
  kind: "query" | "mutation" | "subscription";
  /** The token of the latest `npm run -s token -- …` line before the block. */
  token: ReadmeToken | null;
  /** A ```json block right after the operation's block: its variables. */
  variables?: Record<string, unknown>;
}

function parseToken(line: string): ReadmeToken | null {
  const m = /npm run -s token -- (.*?)\)/.exec(line);
  if (!m) return null;
  const args = m[1].split(/\s+/);
  const get = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const agency = get("--agency");
  const role = get("--role");
  return agency && role ? { agency, role, sub: get("--sub"), collar: get("--collar") } : null;
}

/**
 * The GraphQL operations of a README (``` graphql blocks, one or more operations each) with the
 * token shown before them. Used by the README test and the trusted-documents manifest.
 */
export function readmeExamples(readme: string): ReadmeExample[] {
  const lines = readme.split("\n");
  const out: ReadmeExample[] = [];
  let token: ReadmeToken | null = null;
  for (let i = 0; i < lines.length; i++) {
    const t = parseToken(lines[i]);
    if (t) token = t;
    if (lines[i].trim() !== "```graphql") continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && lines[j].trim() !== "```") j++;
    const doc = parse(lines.slice(start, j).join("\n"));
    let variables: Record<string, unknown> | undefined;
    if (lines[j + 1]?.trim() === "```json") {
      let k = j + 2;
      while (k < lines.length && lines[k].trim() !== "```") k++;
      variables = JSON.parse(lines.slice(j + 2, k).join("\n"));
    }
    for (const def of doc.definitions) {
      if (def.kind !== "OperationDefinition") continue;
      out.push({ line: start, source: print(def), kind: def.operation, token, variables });
    }
    i = j;
  }
  return out;
}
