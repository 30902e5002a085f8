/**
 * `npm run test:editor`: the package in n8n's editor, driven by headless Chromium from Debian (puppeteer-core,
 * nothing downloaded). globalSetup installs n8n 2.x once and packs the package; screenshots land in test/editor/tmp/.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/editor/**/*.editor.ts'],
	globalSetup: '<rootDir>/test/editor/globalSetup.ts',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	maxWorkers: 1,
	testTimeout: 300000,
};
