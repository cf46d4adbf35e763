// `npm start`: builds, then runs the hub, and stops it when the launcher is told to stop.
//
// npm runs a script through `sh -c`, and on SIGTERM or SIGINT it forwards the signal to that shell
// only. dash does not pass it on to its child, so `node dist/src/index.js` (and the embedded
// PostgreSQL it started) outlived `npm start`. package.json therefore `exec`s this launcher (the
// shell is replaced, npm signals it directly), and the launcher forwards SIGTERM, SIGINT and SIGHUP
// to whatever it is running (the build, then the hub) and exits as that child exits: the hub drains,
// stops PostgreSQL and exits 0, and so does `npm start`.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"];
let current = null;
let stopSignal = null;

for (const sig of SIGNALS) {
  process.on(sig, () => {
    stopSignal ??= sig;
    if (current && current.exitCode === null && current.signalCode === null) current.kill(sig);
  });
}

/** Runs one node program to completion (signals forwarded); resolves with its exit code. */
function run(args) {
  return new Promise((resolve) => {
    current = spawn(process.execPath, args, { cwd: root, stdio: "inherit", argv0: "node" });
    current.once("error", (e) => {
      process.stderr.write(`npm start: cannot run ${args.join(" ")}: ${e.message}\n`);
      resolve(1);
    });
    current.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1)));
  });
}

const signalNumber = (sig) => ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 })[sig];

async function main() {
  const steps = [
    [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    ["dashboard/build.mjs"],
  ];
  for (const step of steps) {
    const code = await run(step);
    if (code !== 0) return code;
    if (stopSignal) return 128 + signalNumber(stopSignal);
  }
  // The hub handles SIGTERM/SIGINT itself: drains requests, stops the job queue and PostgreSQL.
  return run(["dist/src/index.js", ...process.argv.slice(2)]);
}

main().then((code) => process.exit(code));
