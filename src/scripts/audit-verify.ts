// npm run audit:verify -- --url URL [--checkpoint FILE] [--public-key FILE]
// Checks the hub's latest signed audit checkpoint and, given a checkpoint kept from an earlier run,
// that the log is consistent with it (it only grew). Exit code 0 when verified, 1 when not.
import { parseArgs } from "node:util";
import { witnessAuditLog } from "../core/audit/witness.js";

async function main() {
  const { values } = parseArgs({ options: { url: { type: "string" }, checkpoint: { type: "string" }, "public-key": { type: "string" } } });
  if (!values.url) {
    process.stderr.write("usage: npm run audit:verify -- --url URL [--checkpoint FILE] [--public-key FILE]\n");
    process.exit(2);
  }
  const r = await witnessAuditLog({ url: values.url, checkpointFile: values.checkpoint, publicKeyFile: values["public-key"] });
  for (const l of r.lines) process.stdout.write(`${l}\n`);
  process.exit(r.ok ? 0 : 1);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
