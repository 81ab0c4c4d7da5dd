/**
 * `npm run test:cluster`: the scale-out topology (cluster/) driven through nginx. Not part of
 * `npm test`: it starts real processes on loopback ports, one topology per file, one file at a time.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
  globalSetup: '<rootDir>/test/cluster/support/global-setup.ts',
  globalTeardown: undefined,
  maxWorkers: 1,
  testTimeout: 180_000,
};
