import type { DataSource } from "typeorm";
import type { ServiceDeps } from "../../core/context.js";
import { checkSpikes } from "../aggregates/alert.service.js";

/**
 * The spike check after a recording, run once for every recording that arrives while one is
 * already running in this process for the same area and cell.
 *
 * Each check takes its scope's advisory lock and counts the area's incidents, so checks after
 * concurrent recordings in one area take turns; most of them would count the same rows. The rule
 * kept: when a recording's answer leaves, a check that started after its commit has finished. A
 * caller arriving while a check runs waits for the next one (which starts after the running one,
 * so after its own commit); every caller arriving meanwhile shares that next one. At most one
 * running and one waiting check per scope and process, whatever the load.
 */
interface Flight {
  running: Promise<void> | null;
  next: Promise<void> | null;
}

const flights = new WeakMap<DataSource, Map<string, Flight>>();

export function checkSpikesAfterCommit(deps: Pick<ServiceDeps, "dataSource" | "config" | "pubsub" | "clock">, scope: { areaCode: string; h3r7: string | null }): Promise<void> {
  let byKey = flights.get(deps.dataSource);
  if (!byKey) {
    byKey = new Map();
    flights.set(deps.dataSource, byKey);
  }
  const key = `${scope.areaCode}|${scope.h3r7 ?? ""}`;
  let f = byKey.get(key);
  if (!f) {
    f = { running: null, next: null };
    byKey.set(key, f);
  }
  const flight = f;
  const map = byKey;
  const run = (): Promise<void> => {
    const p = checkSpikes(deps, { areaCode: scope.areaCode, h3r7: scope.h3r7, at: deps.clock.now() }).then(() => undefined);
    flight.running = p;
    const done = () => {
      if (flight.running === p) flight.running = null;
      if (!flight.running && !flight.next) map.delete(key);
    };
    p.then(done, done);
    return p;
  };
  if (!flight.running) return run();
  if (!flight.next) {
    const after = flight.running.catch(() => undefined);
    const next = after.then(() => {
      flight.next = null;
      return run();
    });
    flight.next = next;
  }
  return flight.next;
}
