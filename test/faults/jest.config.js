/** Fault tests: real hub processes from dist/ killed, drained, and cut off from PostgreSQL. `npm run test:faults`. */
const base = require("../../jest.config.js");
module.exports = {
  ...base,
  rootDir: "../..",
  roots: ["<rootDir>/test/faults"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 120000,
  maxWorkers: 1,
};
