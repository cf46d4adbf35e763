// Builds the partner dashboard into dist/dashboard: one bundled script (with graphql-ws inside),
// the page and its stylesheet. Nothing is fetched from the internet at run time.
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "..", "dist", "dashboard");
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [path.join(here, "src", "main.ts")],
  outfile: path.join(out, "app.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  logLevel: "warning",
});
for (const f of ["index.html", "style.css"]) copyFileSync(path.join(here, f), path.join(out, f));
console.log(`dashboard built in ${path.relative(process.cwd(), out) || out}`);
