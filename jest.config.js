/** Tests run against a real PostgreSQL: DATABASE_URL when set, otherwise an embedded server. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Needs Redis and two hub processes: `npm run test:multi-instance` (.ci/run calls it when Redis answers).
  // Kills and restarts hub processes and PostgreSQL: `npm run test:faults` (.ci/run calls it).
  // test/browser needs a built dashboard and Chromium: `npm run test:browser` (.ci/run calls it).
  testPathIgnorePatterns: ["/node_modules/", "/test/multi-instance/", "/test/faults/", "/test/browser/"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json", diagnostics: { ignoreCodes: [151002] } }],
  },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  setupFiles: ["reflect-metadata"],
  globalSetup: "<rootDir>/test/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/test/helpers/global-teardown.ts",
  testTimeout: 30000,
  maxWorkers: process.env.CI ? 2 : "50%",
};
