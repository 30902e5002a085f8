/**
 * `npm run test:e2e`: the package inside real n8n processes (2.x and 1.x), not part of `npm test`.
 * globalSetup installs the pinned n8n versions once (outside the repository) and packs the package.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
	globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	// One worker per n8n version: they share nothing but the machine.
	maxWorkers: 2,
	testTimeout: 300000,
	slowTestThreshold: 60,
};
