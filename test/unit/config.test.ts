import { generateKeyPairSync } from "node:crypto";
import { ConfigError, loadConfig } from "../../src/core/config";

describe("configuration", () => {
  it("has working defaults in development, using the dev JWT secret", () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.jwt.issuer).toBe("naloxone-hub");
    expect(c.jwt.audience).toBe("naloxone-hub");
    expect(c.jwt.usingDevSecret).toBe(true);
    expect(c.suppression).toEqual({ max: 7, roundTo: 5, tableSize: 500, minPercentileValues: 20 });
    expect(c.alerts).toEqual({ pValue: 0.01, minCount: 5 });
  });

  it("validates the disclosure settings: the cell-key table is a whole number of roundTo columns", () => {
    expect(loadConfig({ CELL_KEY_TABLE_SIZE: "1000", PERCENTILE_MIN_VALUES: "30" }).suppression).toEqual({ max: 7, roundTo: 5, tableSize: 1000, minPercentileValues: 30 });
    expect(() => loadConfig({ CELL_KEY_TABLE_SIZE: "501" })).toThrow(/CELL_KEY_TABLE_SIZE must be a multiple of ROUND_TO/);
    expect(() => loadConfig({ PERCENTILE_MIN_VALUES: "0" })).toThrow(/PERCENTILE_MIN_VALUES must be a whole number from 1/);
  });

  it("validates the spike alert settings", () => {
    expect(loadConfig({ ALERT_P_VALUE: "0.001", ALERT_MIN_COUNT: "3" }).alerts).toEqual({ pValue: 0.001, minCount: 3 });
    expect(() => loadConfig({ ALERT_P_VALUE: "1.5" })).toThrow(/ALERT_P_VALUE must be a number above 0 and below 1/);
    expect(() => loadConfig({ ALERT_MIN_COUNT: "0" })).toThrow(/ALERT_MIN_COUNT must be a whole number from 1/);
  });

  it("requires JWT_SECRET and IDENTITY_KEY_SECRET in production and reports every problem at once", () => {
    try {
      loadConfig({ NODE_ENV: "production", PORT: "99999", DATABASE_URL: "mysql://x" });
      throw new Error("expected ConfigError");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join("\n");
      expect(problems).toMatch(/JWT_SECRET is required when NODE_ENV=production/);
      expect(problems).toMatch(/IDENTITY_KEY_SECRET is required/);
      expect(problems).toMatch(/PORT must be a whole number/);
      expect(problems).toMatch(/DATABASE_URL must use postgres:/);
      expect(problems).toMatch(/AUDIT_SIGNING_KEY is required when NODE_ENV=production/);
      expect((e as ConfigError).problems.length).toBe(5);
    }
  });

  it("accepts a complete production configuration", () => {
    const c = loadConfig({
      NODE_ENV: "production",
      JWT_SECRET: "x".repeat(40),
      IDENTITY_KEY_SECRET: "y".repeat(40),
      DATABASE_URL: "postgres://u@db:5432/hub",
      JWT_ISSUER: "iss",
      AUDIT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString().replace(/\n/g, "\\n"),
    });
    expect(c.audit.signingKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(c.jwt.usingDevSecret).toBe(false);
    expect(c.jwt.issuer).toBe("iss");
  });

  it("refuses an AUDIT_SIGNING_KEY that is not an Ed25519 private key, without echoing it", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    for (const bad of ["not a key at all", rsa]) {
      try {
        loadConfig({ AUDIT_SIGNING_KEY: bad });
        throw new Error("accepted");
      } catch (e) {
        expect((e as ConfigError).problems).toEqual(["AUDIT_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM"]);
        expect((e as Error).message).not.toContain(bad.slice(0, 40));
      }
    }
  });

  it("rejects short secrets and bad page sizes", () => {
    expect(() => loadConfig({ JWT_SECRET: "short", PAGE_SIZE_DEFAULT: "200", PAGE_SIZE_MAX: "100" })).toThrow(
      /JWT_SECRET must be at least 32 characters[\s\S]*PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX/,
    );
  });
});
