// npm run schema: writes schema/schema.graphql from the code.
import "reflect-metadata";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildBareSchema, renderSdl } from "../schema.js";

buildBareSchema()
  .then((schema) => {
    const out = path.resolve("schema", "schema.graphql");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, renderSdl(schema));
    process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
  })
  .catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
