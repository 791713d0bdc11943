// Two projects: unit tests live beside the code, e2e tests start real servers.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
module.exports = {
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  // A global option (a project's own testTimeout is ignored): e2e tests spawn servers, which takes
  // seconds on a loaded machine.
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/server'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      // The web page's client modules import each other as `./x.js`, as the browser loads them.
      moduleNameMapper: { '^(\\./.*)\\.js$': '$1' },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
};
