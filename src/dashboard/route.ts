import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Request, type Router } from "express";

/** Where `npm run build` puts the bundled dashboard: <project root>/dist/dashboard. */
export function defaultDashboardDir(): string {
  // From src/dashboard (ts-jest) or dist/src/dashboard (compiled), walk up to the directory with package.json.
  let dir = __dirname;
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, "dist", "dashboard");
}

/** A Host header we are willing to echo into a policy: host name or [IPv6], optional port. */
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The dashboard's Content-Security-Policy: everything from this hub only. connect-src names the
 * hub's own ws:/wss: origin explicitly for the graphql-ws subscription, since older browsers do not
 * let 'self' cover WebSockets.
 */
export function dashboardCsp(req: Pick<Request, "headers">): string {
  const host = req.headers.host && HOST.test(req.headers.host) ? req.headers.host : null;
  const sockets = host ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Serves the partner dashboard at /dashboard: static files built by esbuild (`npm run build`), no
 * CDN, tiles or web fonts, so it works on a closed network. It reads data only through /graphql.
 */
export function dashboardRouter(dir = defaultDashboardDir()): Router {
  const router = express.Router();
  router.use((req, res, next) => {
    res.setHeader("Content-Security-Policy", dashboardCsp(req));
    // The page holds no data (it fetches with the user's token), but keep it fresh after upgrades.
    res.setHeader("Cache-Control", "no-cache");
    next();
  });
  // "/dashboard" and "/dashboard/" both give the page; relative asset URLs need the trailing slash.
  router.get("/", (req, res, next) => {
    if (!req.originalUrl.split("?")[0].endsWith("/")) return res.redirect(301, "/dashboard/");
    next();
  });
  router.use(express.static(dir, { index: "index.html", fallthrough: true, dotfiles: "deny" }));
  router.use((_req, res) => {
    if (!existsSync(path.join(dir, "index.html"))) {
      res.status(503).type("text/plain").send("The dashboard is not built: run `npm run build`.\n");
      return;
    }
    res.status(404).type("text/plain").send("Not found\n");
  });
  return router;
}
