/**
 * The browser test: a seeded hub in-process, the built dashboard, Debian's Chromium driven by
 * playwright-core. Run by `npm run test:browser` (which builds first); `.ci/run` calls it after the
 * main tests.
 */
const path = require("node:path");
const base = require("../../jest.config.js");
module.exports = {
  ...base,
  rootDir: path.join(__dirname, "..", ".."),
  roots: ["<rootDir>/test/browser"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 180000,
  maxWorkers: 1,
};
