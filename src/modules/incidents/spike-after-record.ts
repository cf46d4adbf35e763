import type { DataSource } from "typeorm";
import type { ServiceDeps } from "../../core/context.js";
import { TrailingSingleFlight } from "../../core/single-flight.js";
import { checkSpikes } from "../aggregates/alert.service.js";

/**
 * The spike check after a recording, shared by the recordings that arrive while one is already
 * running in this process for the same area and cell.
 *
 * Each check takes its scope's advisory lock and counts the area's incidents, so checks after
 * concurrent recordings in one area take turns, and most of them would count the same rows. The
 * rule kept: when a recording's answer leaves, a check that started after its commit has finished
 * (see TrailingSingleFlight). At most one running and one waiting check per scope and process.
 */
const flights = new WeakMap<DataSource, TrailingSingleFlight>();

export function checkSpikesAfterCommit(deps: Pick<ServiceDeps, "dataSource" | "config" | "pubsub" | "clock">, scope: { areaCode: string; h3r7: string | null }): Promise<void> {
  let f = flights.get(deps.dataSource);
  if (!f) {
    f = new TrailingSingleFlight();
    flights.set(deps.dataSource, f);
  }
  return f.run(`${scope.areaCode}|${scope.h3r7 ?? ""}`, () => checkSpikes(deps, { areaCode: scope.areaCode, h3r7: scope.h3r7, at: deps.clock.now() }));
}
