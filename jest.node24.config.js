/**
 * The same suites on Node 24 LTS (`npm run test:node24`): every unit, integration and contract suite
 * of the libraries, and the whole case lifecycle over HTTP. better-sqlite3 resolves to the copy built
 * for Node 24 in .node24/ (KEYSTONE_NODE24_MODULES), so the Node 20 install is left as it is.
 */
const base = require('./jest.config.js');

if (!process.version.startsWith('v24.'))
  throw new Error(
    `jest.node24.config.js runs on Node 24, not ${process.version}: npm run test:node24`,
  );
const modules = process.env.KEYSTONE_NODE24_MODULES;
if (!modules) throw new Error('KEYSTONE_NODE24_MODULES is not set: run `npm run test:node24`');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testRegex: undefined,
  testMatch: [
    '<rootDir>/libs/**/*.unit.spec.ts',
    '<rootDir>/libs/**/*.int.spec.ts',
    '<rootDir>/test/e2e/case-lifecycle.e2e.spec.ts',
  ],
  moduleNameMapper: {
    '^better-sqlite3$': `${modules}/better-sqlite3`,
    ...base.moduleNameMapper,
  },
};
