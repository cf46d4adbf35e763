/** Two hub processes, one PostgreSQL, one Redis: run by `npm run test:multi-instance` (needs REDIS_URL or Redis on 127.0.0.1:6379). */
const base = require("./jest.config.js");
module.exports = { ...base, roots: ["<rootDir>/test/multi-instance"], testPathIgnorePatterns: [], testTimeout: 90000, maxWorkers: 1 };
