// npm run token -- --agency CODE --role ROLE [--role ROLE2] [--sub ID] [--collar N] [--ttl SECONDS]
// Prints a signed bearer token for local use with the configured JWT_SECRET. `--help` explains.
// `npm run token` goes through scripts/run-built.mjs, which rebuilds dist/ only when sources changed.
import { parseArgs } from "node:util";
import { defaultTtlSeconds, signToken } from "../core/auth/tokens.js";
import { Role } from "../core/auth/roles.js";
import { loadConfig } from "../core/config.js";

const HELP = `Prints a signed bearer token (HS256, JWT_SECRET) for local use.

usage: npm run -s token -- --agency CODE --role ROLE [--role ROLE2] [--sub ID] [--collar N] [--ttl SECONDS]

  --agency CODE    the agency the user works for, e.g. HUB, DUR, TS-TEESSIDE, PH-ENG (the hub checks it is active)
  --role ROLE      one or more roles fitting the agency's kind (repeat, or comma-separate):
                   ${Object.values(Role).join(", ")}
  --sub ID         the user's id at their agency (default: <agency>-<role>-demo)
  --collar N       an officer's collar number (police roles)
  --ttl SECONDS    lifetime (default 8 hours)
  -h, --help       this text

examples:
  TOKEN=$(npm run -s token -- --agency HUB --role ADMIN)
  TOKEN=$(npm run -s token -- --agency DUR --role OFFICER --sub pc-4711 --collar 4711)
  curl -s localhost:4000/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ agencies { code } }"}'
`;

async function main() {
  const { values } = parseArgs({
    options: {
      agency: { type: "string" },
      role: { type: "string", multiple: true },
      sub: { type: "string" },
      collar: { type: "string" },
      ttl: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const roles = (values.role ?? []).flatMap((r) => r.split(",")).map((r) => r.trim().toUpperCase());
  const bad = roles.filter((r) => !(Object.values(Role) as string[]).includes(r));
  if (!values.agency || roles.length === 0 || bad.length > 0) {
    process.stderr.write(
      `usage: npm run token -- --agency CODE --role ROLE [--sub ID] [--collar N] [--ttl SECONDS]\n` +
        (bad.length ? `unknown role(s): ${bad.join(", ")}; roles are ${Object.values(Role).join(", ")}\n` : ""),
    );
    process.exit(2);
  }
  const config = loadConfig();
  const agency = values.agency.toUpperCase();
  const sub = values.sub ?? `${agency.toLowerCase()}-${roles[0].toLowerCase()}-demo`;
  const ttl = values.ttl ? Number(values.ttl) : defaultTtlSeconds(config);
  const token = await signToken(config, { sub, agency, roles: roles as Role[], collarNumber: values.collar }, ttl);
  process.stdout.write(token + "\n");
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
