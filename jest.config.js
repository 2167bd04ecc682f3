/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '\\.(unit|int|e2e)\\.spec\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^@keystone/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@keystone/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30000,
  verbose: true,
  // With Redis unreachable (a test of exactly that), ioredis keeps a reconnect timer after BullMQ has
  // closed; exit once the tests are done rather than wait on it. The exit code still follows the tests.
  forceExit: true,
};
