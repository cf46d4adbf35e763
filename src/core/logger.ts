import { pino, type DestinationStream, type Logger } from "pino";
import type { Config } from "./config.js";

export type { Logger };

/**
 * JSON logs. Nothing that could identify a person is ever passed to the logger: request logs carry
 * the operation name, codes and timings, never variables or results. The redact list is a second
 * line of defence for the obvious keys.
 */
export function createLogger(config: Pick<Config, "logLevel">, destination?: DestinationStream): Logger {
  return pino(
    {
    level: config.logLevel,
    base: { service: "naloxone-hub" },
    redact: {
      paths: ["*.givenName", "*.familyName", "*.dateOfBirth", "*.variables", "*.authorization", "req.headers.authorization"],
      censor: "[redacted]",
    },
    },
    destination,
  );
}
