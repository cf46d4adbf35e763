// node .ci/pg.js probe|create|drop URL: small PostgreSQL helpers for .ci/run (no psql needed).
const pg = require("pg");
const [, , cmd, url] = process.argv;

async function admin(fn) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = "/postgres";
  const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    await fn(c, name);
  } finally {
    await c.end();
  }
}

const actions = {
  probe: () => admin(async (c) => void (await c.query("SELECT 1"))),
  create: () => admin(async (c, name) => void (await c.query(`CREATE DATABASE "${name}"`))),
  drop: () => admin(async (c, name) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
};

if (!actions[cmd] || !url) {
  console.error("usage: node .ci/pg.js probe|create|drop URL");
  process.exit(2);
}
actions[cmd]().then(
  () => process.exit(0),
  (e) => {
    if (cmd !== "probe") console.error(`${cmd} failed: ${e.message}`);
    process.exit(1);
  },
);
