/** Jest runs the TypeScript sources directly (transpile only; `npm run typecheck` checks types). */
const mapped = {
  '^@mailward/core$': '<rootDir>/packages/core/src/index.ts',
  '^@mailward/core/testing$': '<rootDir>/packages/core/src/testing/index.ts',
  '^@mailward/facts$': '<rootDir>/packages/facts/src/index.ts',
  '^@mailward/adapter-smtp-server$': '<rootDir>/packages/adapter-smtp-server/src/index.ts',
  '^@mailward/gateway$': '<rootDir>/packages/gateway/src/index.ts',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples', '<rootDir>/docs'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: mapped,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
