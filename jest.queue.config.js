/**
 * `npm run test:queue`: the package in n8n 2.x queue mode (main, 3 workers, Redis, PostgreSQL on loopback), not part
 * of `npm test`. globalSetup checks Redis and PostgreSQL are installed, installs n8n once and packs the package.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/queue/**/*.queue.ts'],
	globalSetup: '<rootDir>/test/queue/globalSetup.ts',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	// One cluster of n8n processes is all two cores take.
	maxWorkers: 1,
	testTimeout: 300000,
	slowTestThreshold: 120,
};
