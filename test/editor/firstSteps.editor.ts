import { join } from 'node:path';

import type { Browser, Page } from 'puppeteer-core';

import { errcodeTable } from '../../nodes/WeChatCustomerService/errors';
import { findN8n, N8N_VERSIONS } from '../e2e/sandbox/install';
import { N8nInstance } from '../e2e/sandbox/n8n';
import { sandboxCredential, startWeChatEmulator, writeJpeg, type Emulator } from '../e2e/sandbox/sandbox';
import { adaptWorkflow, EXAMPLE_CREDENTIAL, EXAMPLES, loadExample, nodeNamed, uploadFilesWorkflow } from '../e2e/sandbox/workflows';
import {
	byTestIdAndText,
	chooseOption,
	clickText,
	fillParameter,
	launchChromium,
	openNode,
	openWorkflow,
	parameterValue,
	screenshot,
	shownParameters,
	signIn,
	textOf,
	textsOf,
} from './browser';

const UPLOAD_ACTION = 'Upload a customer service account avatar';
const ACTIONS = [
	UPLOAD_ACTION,
	'Create a customer service account',
	'Delete a customer service account',
	'Ensure a customer service account exists as described',
	'Get many customer service accounts',
	'Invite a worker to a customer service account',
	'Update a customer service account',
];
const STOP_WORKFLOW_ID = 'editorStopOnSecondItem';

describe(`a new user in n8n ${N8N_VERSIONS.current}'s editor, in headless Chromium`, () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let server: Awaited<ReturnType<N8nInstance['start']>>;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		const installation = findN8n(N8N_VERSIONS.current);
		if (!installation) throw new Error(`n8n ${N8N_VERSIONS.current} is not installed: run \`npm run test:editor\`, whose globalSetup installs it`);
		emulator = await startWeChatEmulator({ accounts: ['agent1@sandbox_oa', 'agent2@sandbox_oa', 'agent3@sandbox_oa'] });
		n8n = await N8nInstance.create({ installation, tarball: String(process.env.E2E_TARBALL) });
		writeJpeg(join(n8n.filesFolder, 'branding', 'avatar.jpg'), 8 * 1024);
		for (const name of ['agent1', 'ghost']) writeJpeg(join(n8n.filesFolder, 'stop', `${name}.jpg`));
		await n8n.importCredentials([sandboxCredential(emulator)]);
		await n8n.importWorkflows([
			adaptWorkflow(loadExample(EXAMPLES.brandingRefresh), n8n.nodeType, (workflow) => {
				nodeNamed(workflow, 'Read new avatar').parameters.fileSelector = join(n8n.filesFolder, 'branding', 'avatar.jpg');
			}),
			uploadFilesWorkflow({ id: STOP_WORKFLOW_ID, nodeType: n8n.nodeType, credentialId: EXAMPLE_CREDENTIAL.id, glob: join(n8n.filesFolder, 'stop', '*.jpg') }),
		]);
		server = await n8n.startWithOwner();
		browser = await launchChromium();
		page = await browser.newPage();
		// n8n asks before leaving a workflow with unsaved changes, as the new one of the first tests has.
		page.on('dialog', (dialog) => void dialog.accept());
		await signIn(page, server.baseUrl);
	}, 240_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		n8n?.dispose();
		await emulator?.close();
	});

	test('searching "WeChat" in the node creator finds the node; Upload Avatar is the first of its seven actions', async () => {
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
		expect(shown.filter((name) => ACTIONS.includes(name))).toEqual(ACTIONS);
	});

	test('choosing Upload Avatar opens the node with the credential, Authentication, then Avatar → Upload, the account and where the image comes from', async () => {
		const [action] = await byTestIdAndText(page, 'node-creator-item-name', UPLOAD_ACTION);
		await action.click();
		await page.waitForSelector('[data-test-id="parameter-input-kfAccount"]', { timeout: 30_000 });
		await screenshot(page, 'upload-avatar-parameters');

		expect(await page.$('[data-test-id=node-credentials-select]')).not.toBeNull();
		expect((await shownParameters(page)).slice(0, 6)).toEqual(['authentication', 'resource', 'operation', 'kfAccount', 'imageSource', 'binaryPropertyName']);
		expect([await parameterValue(page, 'resource'), await parameterValue(page, 'operation')]).toEqual(['Avatar', 'Upload']);
	});

	test('Authentication → Access Token From the Workflow shows Access Token and Base URL in place of the credential', async () => {
		await chooseOption(page, 'authentication', 'Access Token From the Workflow');
		await screenshot(page, 'workflow-token-mode');

		expect((await shownParameters(page)).slice(0, 3)).toEqual(['authentication', 'accessToken', 'baseUrl']);
		expect(await page.$('[data-test-id=node-credentials-select]')).toBeNull();

		await chooseOption(page, 'authentication', 'AppID and AppSecret');
		expect(await shownParameters(page)).not.toContain('accessToken');
		expect(await page.$('[data-test-id=node-credentials-select]')).not.toBeNull();
	});

	test('a new credential is named "WeChat Official Accounts Platform account"; its test shows 40125 with the fix, then succeeds', async () => {
		await page.click('[data-test-id=node-credentials-select]');
		// The list opens with an animation: click its entry once it can be clicked.
		const createNew = await page.waitForSelector('[data-test-id=node-credentials-select-item-new]', { visible: true });
		await new Promise((resolve) => setTimeout(resolve, 300));
		await createNew!.click();
		await page.waitForSelector('[data-test-id="parameter-input-appId"] input');
		const modal = '[data-test-id=editCredential-modal]';

		// The dialog fills in the name a moment after its fields appear.
		const name = await textOf(page, `${modal} [data-test-id=credential-name] [data-test-id=inline-edit-preview]`, (text) => text.trim() !== '');
		expect(name.trim()).toBe('WeChat Official Accounts Platform account');
		const placeholder = await page.$eval('[data-test-id="parameter-input-appId"] input', (input) => input.getAttribute('placeholder') ?? '');
		expect(placeholder).not.toMatch(/^wx[0-9a-z]{16}$/i);

		await fillParameter(page, 'appId', emulator.appId);
		await fillParameter(page, 'appSecret', 'not-the-app-secret');
		await fillParameter(page, 'baseUrl', emulator.baseUrl);
		await page.click('[data-test-id=credential-save-button]');
		await textOf(page, modal, (text) => text.includes('More details'));
		await clickText(page, modal, 'More details');
		const refused = await textOf(page, modal, (text) => text.includes('40125'));
		await screenshot(page, 'credential-test-40125');
		expect(refused).toContain(`Fix: ${errcodeTable[40125].fix}`);
		expect(refused).not.toContain('not-the-app-secret');

		await fillParameter(page, 'appSecret', emulator.appSecret);
		const retested = page.waitForResponse((response) => response.url().endsWith('/rest/credentials/test'));
		await page.click('[data-test-id=credential-save-button]');
		expect(await (await retested).json()).toEqual({ data: { status: 'OK', message: expect.any(String) } });
		// On success n8n closes the dialog and gives the node the new credential.
		await page.waitForSelector(modal, { hidden: true, timeout: 30_000 });
		await screenshot(page, 'credential-test-ok');
		expect(await page.$eval('[data-test-id=node-credentials-select] input', (input) => (input as unknown as { value: string }).value)).toBe(
			'WeChat Official Accounts Platform account',
		);
	});

	test('the branding example runs from the editor: the output panel shows errcode 0 on Success and 65401 on Error', async () => {
		// WeChat refuses the second upload, as when someone deletes an account while the refresh runs.
		emulator.inject({ kind: 'errcode', errcode: 65401, after: 1 });
		await openWorkflow(page, server.baseUrl, 'wechatKfBranding');
		await page.click('[data-test-id=execute-workflow-button]');
		await page.waitForSelector('[data-test-id="canvas-node"][data-node-name="Failures by errcode"] [data-test-id=canvas-node-status-success]', { timeout: 60_000 }).catch(() => undefined);
		await openNode(page, 'Set avatar');

		const success = await textOf(page, '[data-test-id=output-panel] [data-test-id=ndv-data-container]', (text) => /\berrcode\b/.test(text));
		await screenshot(page, 'branding-output');
		expect(success).toMatch(/\n0\s+ok\s+agent\d@sandbox_oa/);
		await page.click('[data-test-id=output-panel] [data-test-id=tab-1]');
		await page.click('[data-test-id=output-panel] [data-test-id=radio-button-json]');
		// The JSON view marks spaces with "·" and breaks lines between tokens.
		const failed = (await textOf(page, '[data-test-id=output-panel] [data-test-id=ndv-data-container]', (text) => text.includes('65401')))
			.replace(/·/g, ' ')
			.replace(/\s+/g, ' ');
		await screenshot(page, 'branding-output-error-branch');
		expect(failed).toContain('"errcode": 65401');
		expect(failed).toContain(errcodeTable[65401].fix.slice(0, 40));
	});

	test('a run that stops on the second item says "Item 2" once, with no "[item 1]" from the editor', async () => {
		await openWorkflow(page, server.baseUrl, STOP_WORKFLOW_ID);
		await page.click('[data-test-id=execute-workflow-button]');
		await page.waitForSelector('[data-test-id="canvas-node"][data-node-name="Upload avatar"]');
		await new Promise((resolve) => setTimeout(resolve, 5000));
		await openNode(page, 'Upload avatar');

		const message = await textOf(page, '[data-test-id=output-panel]', (text) => text.includes('65401'));
		await screenshot(page, 'stop-message');
		expect(message).toContain('Item 2 (ghost@sandbox_oa): WeChat errcode 65401');
		expect(message).not.toMatch(/\[item \d+\]/);
	});
});
