import type { Browser, Page } from 'puppeteer-core';

import { findN8n, N8N_VERSIONS } from '../e2e/sandbox/install';
import { N8nInstance } from '../e2e/sandbox/n8n';
import { N8nRestClient } from '../e2e/sandbox/rest';
import { sandboxCredential, startWeChatEmulator, type Emulator } from '../e2e/sandbox/sandbox';
import { byTestIdAndText, launchChromium, screenshot, signIn, textsOf } from './browser';

const ACTIONS = [
	'Create a customer service account',
	'Delete a customer service account',
	'Get many customer service accounts',
	'Invite a worker to a customer service account',
	'Update a customer service account',
	'Upload a customer service account avatar',
];

describe(`the node in n8n ${N8N_VERSIONS.current}'s editor, in headless Chromium`, () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let server: Awaited<ReturnType<N8nInstance['start']>>;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		const installation = findN8n(N8N_VERSIONS.current);
		if (!installation) throw new Error(`n8n ${N8N_VERSIONS.current} is not installed: run \`npm run test:editor\`, whose globalSetup installs it`);
		emulator = await startWeChatEmulator({ accounts: ['agent1@sandbox_oa'] });
		n8n = await N8nInstance.create({ installation, tarball: String(process.env.E2E_TARBALL) });
		await n8n.importCredentials([sandboxCredential(emulator)]);
		server = await n8n.start();
		await new N8nRestClient(server.baseUrl).setUpOwner();
		browser = await launchChromium();
		page = await browser.newPage();
		await signIn(page, server.baseUrl);
	}, 240_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		n8n?.dispose();
		await emulator?.close();
	});

	test('searching "WeChat" in the node creator finds the node and its six actions, Upload Avatar among them', async () => {
		await page.goto(`${server.baseUrl}/workflow/new`, { waitUntil: 'networkidle0' });
		await page.click('[data-test-id=node-creator-plus-button]');
		await page.waitForSelector('[data-test-id=node-creator-search-bar]');
		await page.keyboard.type('WeChat');
		await textsOf(page, 'item-iterator-item', (texts) => texts.some((text) => text.startsWith('WeChat Customer Service')));
		await screenshot(page, 'node-creator-search');

		const [node] = await byTestIdAndText(page, 'item-iterator-item', 'WeChat Customer Service');
		expect(node).toBeDefined();
		await node.click();
		const shown = await textsOf(page, 'node-creator-item-name', (texts) => ACTIONS.every((action) => texts.includes(action)));
		await screenshot(page, 'node-creator-actions');
		expect(shown.filter((name) => ACTIONS.includes(name)).sort()).toEqual([...ACTIONS].sort());
	});

	test('choosing Upload Avatar opens the node with its Customer Service Account and Binary Property fields', async () => {
		const [action] = await byTestIdAndText(page, 'node-creator-item-name', 'Upload a customer service account avatar');
		await action.click();
		await page.waitForSelector('[data-test-id="parameter-input-kfAccount"]', { timeout: 30_000 });
		await screenshot(page, 'upload-avatar-parameters');

		expect(await page.$('[data-test-id="parameter-input-binaryPropertyName"]')).not.toBeNull();
		const labels = await page.$$eval('[data-test-id=ndv] label, [data-test-id=ndv] .n8n-input-label', (nodes) => nodes.map((node) => node.textContent?.trim() ?? ''));
		expect(labels.join(' | ')).toContain('Customer Service Account');
	});
});
