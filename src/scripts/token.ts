// npm run token -- --agency CODE --role ROLE [--role ROLE2] [--sub ID] [--collar N] [--ttl SECONDS]
// Prints a signed bearer token for local use with the configured JWT_SECRET.
import { parseArgs } from "node:util";
import { defaultTtlSeconds, signToken } from "../core/auth/tokens.js";
import { Role } from "../core/auth/roles.js";
import { loadConfig } from "../core/config.js";

async function main() {
  const { values } = parseArgs({
    options: {
      agency: { type: "string" },
      role: { type: "string", multiple: true },
      sub: { type: "string" },
      collar: { type: "string" },
      ttl: { type: "string" },
    },
  });
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
