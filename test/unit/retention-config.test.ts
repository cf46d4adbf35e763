import { ConfigError, loadConfig } from "../../src/core/config";

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ NODE_ENV: "test", ...env });
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe("retention settings", () => {
  it("default to the periods proposed in docs/decisions.md, enforcing", () => {
    expect(loadConfig({ NODE_ENV: "test" }).retention).toEqual({ personDays: 1095, locationDays: 90, freeTextDays: 365, dryRun: false });
    expect(loadConfig({ NODE_ENV: "test", RETENTION_DRY_RUN: "true", RETENTION_PERSON_DAYS: "365", RETENTION_LOCATION_DAYS: "31", RETENTION_FREE_TEXT_DAYS: "90" }).retention).toEqual({ personDays: 365, locationDays: 31, freeTextDays: 90, dryRun: true });
  });

  it("refuse to start below the safe minimum, or with a location kept longer than the identity", () => {
    expect(problems({ RETENTION_PERSON_DAYS: "364" })).toEqual(["RETENTION_PERSON_DAYS must be a whole number of days from 365 (the safe minimum) to 36500"]);
    expect(problems({ RETENTION_LOCATION_DAYS: "7" })).toEqual(["RETENTION_LOCATION_DAYS must be a whole number of days from 31 (the safe minimum) to 36500"]);
    expect(problems({ RETENTION_FREE_TEXT_DAYS: "89" })).toEqual(["RETENTION_FREE_TEXT_DAYS must be a whole number of days from 90 (the safe minimum) to 36500"]);
    expect(problems({ RETENTION_PERSON_DAYS: "400", RETENTION_FREE_TEXT_DAYS: "401" })).toEqual([expect.stringContaining("RETENTION_FREE_TEXT_DAYS must not exceed RETENTION_PERSON_DAYS")]);
    expect(problems({ RETENTION_PERSON_DAYS: "0" })).toHaveLength(1);
    expect(problems({ RETENTION_PERSON_DAYS: "-1" })[0]).toContain("RETENTION_PERSON_DAYS");
    expect(problems({ RETENTION_PERSON_DAYS: "400.5" })).toEqual(["RETENTION_PERSON_DAYS must be a whole number of days from 365 (the safe minimum) to 36500"]);
    expect(problems({ RETENTION_PERSON_DAYS: "400", RETENTION_LOCATION_DAYS: "500" })).toEqual([expect.stringContaining("must not exceed RETENTION_PERSON_DAYS")]);
    expect(problems({ RETENTION_DRY_RUN: "yes" })).toEqual(["RETENTION_DRY_RUN must be true or false"]);
  });
});
