import { printSchema, type GraphQLSchema } from "graphql";
import { Router } from "express";

// The development landing page at GET /graphql: a small query runner served by the hub itself
// (no CDN, no web fonts, no network beyond /graphql), so it works on a closed network. Apollo's
// own landing page (Sandbox from a CDN) is disabled. Production serves neither.

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Naloxone Hub: GraphQL (development)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/graphql/explorer.css">
</head>
<body>
<header><h1>Naloxone Hub GraphQL</h1><p>Development only. Every file comes from this hub. Schema: <a href="/graphql/schema.graphql">schema.graphql</a>.</p></header>
<main>
<label for="token">Bearer token <small>(npm run -s token -- --agency HUB --role ADMIN; kept in this tab only)</small></label>
<input id="token" type="password" autocomplete="off" spellcheck="false">
<label for="query">Query</label>
<textarea id="query" rows="12" spellcheck="false">{ agencies { code name kind } }</textarea>
<label for="variables">Variables (JSON)</label>
<textarea id="variables" rows="4" spellcheck="false">{}</textarea>
<button id="run" type="button">Run</button>
<output id="result" for="query token variables"></output>
</main>
<script src="/graphql/explorer.js"></script>
</body>
</html>
`;

const SCRIPT = `"use strict";
const $ = (id) => document.getElementById(id);
$("token").value = sessionStorage.getItem("nh-token") || "";
$("run").addEventListener("click", async () => {
  sessionStorage.setItem("nh-token", $("token").value.trim());
  let variables;
  try { variables = JSON.parse($("variables").value || "{}"); } catch { $("result").textContent = "Variables are not valid JSON"; return; }
  const headers = { "content-type": "application/json" };
  if ($("token").value.trim()) headers.authorization = "Bearer " + $("token").value.trim();
  $("result").textContent = "…";
  const res = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query: $("query").value, variables }) });
  $("result").textContent = res.status + "\\n" + JSON.stringify(await res.json(), null, 2);
});
`;

const STYLE = `body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1b1b1b; }
label { display: block; margin-top: .8rem; font-weight: 600; }
input, textarea { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; padding: .4rem; }
button { margin-top: .8rem; padding: .4rem 1.2rem; font: inherit; }
output { display: block; white-space: pre-wrap; font: 13px/1.4 ui-monospace, monospace; background: #f4f4f4; padding: .6rem; margin-top: .8rem; overflow-x: auto; }
`;

/** Everything from the hub itself; no upgrade to https (a development hub often has none). */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** GET /graphql (a browser asking for a page, not a query), its script, style and the SDL. */
export function landingPage(schema: GraphQLSchema): Router {
  const router = Router();
  router.use(["/graphql/explorer.js", "/graphql/explorer.css", "/graphql/schema.graphql"], (_req, res, next) => {
    res.setHeader("Content-Security-Policy", CSP);
    next();
  });
  const sdl = printSchema(schema);
  router.get("/graphql", (req, res, next) => {
    // Only a browser asking for a page (text/html named outright): API clients keep their GraphQL answers.
    if (req.query.query !== undefined || !(req.header("accept") ?? "").includes("text/html")) return next();
    res.type("html").setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Security-Policy", CSP);
    res.send(PAGE);
  });
  router.get("/graphql/explorer.js", (_req, res) => void res.type("application/javascript").send(SCRIPT));
  router.get("/graphql/explorer.css", (_req, res) => void res.type("text/css").send(STYLE));
  router.get("/graphql/schema.graphql", (_req, res) => void res.type("text/plain").send(sdl));
  return router;
}
