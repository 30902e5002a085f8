import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { jpegBytes, pngBytes } from '../fixtures/images';
import { findN8n } from './sandbox/install';
import { N8nInstance, type ManualRun, type OwnedServer } from './sandbox/n8n';
import { nodesThatRan, outputItems, toolResponse, type ExecutionRun } from './sandbox/runData';
import {
	sandboxCredential,
	startImageServer,
	startWeChatEmulator,
	writeJpeg,
	type Emulator,
	type ImageServer,
} from './sandbox/sandbox';
import {
	EXAMPLES,
	EXAMPLE_CREDENTIAL,
	accountLifecycleWorkflow,
	agentToolWorkflow,
	adaptWorkflow,
	httpRequestWithCredentialWorkflow,
	loadExample,
	nodeNamed,
	setAssignment,
	uploadFilesWorkflow,
	type WorkflowJson,
} from './sandbox/workflows';

const BATCH_SIZE = 100;
/** A WeChat user the sandbox WeChat says already operates as many kf accounts as WeChat allows (errcode 65410). */
const SATURATED_WECHAT_ID = 'busy_agent';

/** Keeps every n8n command's output of the run in test/e2e/tmp/logs/, to read when a test fails. */
function writeTranscript(fileName: string, transcript: string[]): void {
	const folder = join(__dirname, 'tmp', 'logs');
	mkdirSync(folder, { recursive: true });
	writeFileSync(join(folder, fileName), transcript.join('\n\n'));
}
const batchAccount = (index: number) => `agent${String(index).padStart(3, '0')}@sandbox_oa`;

function tarball(): string {
	const path = process.env.E2E_TARBALL;
	if (!path) throw new Error('E2E_TARBALL is not set: run the suite with `npm run test:e2e` (its globalSetup packs the package)');
	return path;
}

/** How a run ended, with n8n's own error message: compared whole, so a failing test shows why the run failed. */
function outcome(run: ExecutionRun) {
	return { status: run.status, error: run.data.resultData.error?.message };
}

const SUCCEEDED = { status: 'success', error: undefined };

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * POSTs a form to a production webhook. `n8n start` registers the webhooks of active workflows after its REST
 * API is up, so a 404 (the webhook is not registered yet, nothing ran) is tried again for a while.
 */
async function postForm(url: string, form: FormData): Promise<{ status: number; body: Record<string, unknown> }> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const response = await fetch(url, { method: 'POST', body: form });
		const text = await response.text();
		if (response.status !== 404 || Date.now() > deadline) {
			return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Every end-to-end test against one real n8n version, sharing one user folder, one emulator and one credential. */
export function describeN8n(version: string, enabled: boolean): void {
	(enabled ? describe : describe.skip)(`n8n ${version}, the package installed as a community package`, () => {
		let emulator: Emulator;
		let n8n: N8nInstance;
		/** One `n8n start` for every test: workflows run on it as from the editor's Execute workflow button. */
		let server: OwnedServer;
		let images: ImageServer;
		const runWorkflow = (workflowId: string): Promise<ManualRun> => n8n.runManually(server, workflowId);

		const ids = {
			errorOutput: 'e2eErrorOutput01',
			stopWorkflow: 'e2eStopWorkflow1',
			batch: 'e2eBatchOf100xx1',
			lifecycle: 'e2eLifecycle0001',
			httpRequest: 'e2eHttpRequest01',
			agentTool: 'e2eAgentTool0001',
			agentToolBadUrl: 'e2eAgentToolBad1',
		};
		let brandingAvatar: Buffer;

		beforeAll(async () => {
			const installation = findN8n(version);
			if (!installation) throw new Error(`n8n ${version} is not installed: run \`npm run test:e2e\`, whose globalSetup installs it`);
			emulator = await startWeChatEmulator({
				accounts: ['agent1@sandbox_oa', 'agent2@sandbox_oa', 'agent3@sandbox_oa', ...Array.from({ length: BATCH_SIZE }, (_, index) => batchAccount(index))],
				// Room for the accounts the onboarding and lifecycle tests create beside the batch's hundred.
				maxAccounts: 1000,
				saturatedWeChatIds: [SATURATED_WECHAT_ID],
				// As WeChat's Chinese documentation says it may: the onboarding test's PNG photo gets errcode 40005.
				rejectPng: true,
			});
			images = await startImageServer(jpegBytes(1024));
			n8n = await N8nInstance.create({ installation, tarball: tarball() });
			const files = n8n.filesFolder;
			for (const name of ['agent1', 'agent2', 'ghost']) writeJpeg(join(files, 'trio', `${name}.jpg`));
			for (let index = 0; index < BATCH_SIZE; index++) writeJpeg(join(files, 'batch', `${batchAccount(index).split('@')[0]}.jpg`), 8 * 1024, index);
			// Small: Get Many lists every account of the sandbox (more than a hundred), each item carrying the image.
			brandingAvatar = writeJpeg(join(files, 'branding', 'avatar.jpg'), 8 * 1024, 23);

			await n8n.importCredentials([sandboxCredential(emulator)]);
			const credentialId = EXAMPLE_CREDENTIAL.id;
			await n8n.importWorkflows([
				uploadFilesWorkflow({ id: ids.errorOutput, nodeType: n8n.nodeType, credentialId, glob: join(files, 'trio', '*.jpg'), onError: 'continueErrorOutput' }),
				uploadFilesWorkflow({ id: ids.stopWorkflow, nodeType: n8n.nodeType, credentialId, glob: join(files, 'trio', '*.jpg'), typeVersion: 1 }),
				uploadFilesWorkflow({
					id: ids.batch,
					nodeType: n8n.nodeType,
					credentialId,
					glob: join(files, 'batch', '*.jpg'),
					onError: 'continueErrorOutput',
					nodeOptions: { concurrency: 4 },
				}),
				adaptWorkflow(loadExample(EXAMPLES.avatarFromImageUrl), n8n.nodeType, (workflow) => {
					setAssignment(workflow, 'Agent and photo URL', 'account', 'agent3@sandbox_oa');
					setAssignment(workflow, 'Agent and photo URL', 'photoUrl', images.url('agent3.jpg'));
				}),
				adaptWorkflow(loadExample(EXAMPLES.brandingRefresh), n8n.nodeType, (workflow) => {
					nodeNamed(workflow, 'Read new avatar').parameters.fileSelector = join(files, 'branding', 'avatar.jpg');
				}),
				adaptWorkflow(loadExample(EXAMPLES.onboardingWebhook), n8n.nodeType),
				httpRequestWithCredentialWorkflow({
					id: ids.httpRequest,
					credentialId,
					url: `${emulator.baseUrl}/cgi-bin/customservice/getkflist`,
				}),
				...[
					[ids.agentTool, images.url('agent2.jpg')],
					[ids.agentToolBadUrl, images.url('agent2.jpg').replace('/photos/', '/no-such-folder/')],
				].map(([id, photoUrl]) =>
					agentToolWorkflow({
						id,
						nodeType: n8n.nodeType,
						credentialId,
						agentArguments: { account: 'agent2@sandbox_oa', photoUrl },
						argumentsByToolName: n8n.majorVersion >= 2,
					}),
				),
				accountLifecycleWorkflow({
					id: ids.lifecycle,
					nodeType: n8n.nodeType,
					credentialId,
					kfAccount: 'temp@sandbox_oa',
					nicknames: { created: 'Temp', renamed: 'Temporary' },
					tokenService: { baseUrl: emulator.baseUrl, appId: emulator.appId, appSecret: emulator.appSecret },
				}),
			]);
			await n8n.activate('wechatKfOnboardA');
			server = await n8n.startWithOwner();
		}, 420_000);

		afterAll(async () => {
			await server?.stop();
			await images?.close();
			await emulator?.close();
			if (n8n) writeTranscript(`n8n-${version}.log`, n8n.transcript);
			n8n?.dispose();
		});

		test('loads the node and the credential with no warning or error about them in n8n’s log', async () => {
			const { problems } = await n8n.loadProblems();
			expect(problems).toEqual([]);
		});

		test('uploads each item: successes with errcode 0, errcode 65401 on the error output with its errcode intact', async () => {
			const { run, log } = await runWorkflow(ids.errorOutput);
			expect(outcome(run)).toEqual(SUCCEEDED);
			const succeeded = outputItems(run, 'Upload avatar', 0).map((item) => item.json);
			expect(succeeded).toEqual([
				expect.objectContaining({ errcode: 0, errmsg: 'ok', kfAccount: 'agent1@sandbox_oa', fileName: 'agent1.jpg', fileSize: 24 * 1024 }),
				expect.objectContaining({ errcode: 0, errmsg: 'ok', kfAccount: 'agent2@sandbox_oa', fileName: 'agent2.jpg' }),
			]);
			const failed = outputItems(run, 'Upload avatar', 1);
			expect(failed).toHaveLength(1);
			// The error output keeps the input item's fields beside the error, on 1.x and 2.x alike.
			expect(failed[0].json).toEqual(
				expect.objectContaining({
					fileName: 'ghost.jpg',
					error: expect.objectContaining({ errcode: 65401, category: 'bad input', kfAccount: 'ghost@sandbox_oa', retryable: false }),
					message: expect.stringContaining('WeChat errcode 65401'),
				}),
			);
			expect(failed[0].pairedItem).toEqual({ item: 2 });
			expect(outputItems(run, 'Avatar set')).toHaveLength(2);
			expect(outputItems(run, 'Upload failed')).toHaveLength(1);
			expect(emulator.uploads.map((upload) => upload.kfAccount)).toEqual(['agent1@sandbox_oa', 'agent2@sandbox_oa']);
			expect(emulator.counters.tokensMinted.stable).toBe(1);
			expect(log).not.toContain(emulator.appSecret);
			expect(JSON.stringify(run)).not.toContain(emulator.appSecret);
		});

		test('a workflow saved with v1 still runs; Stop Workflow (the default On Error) fails it with the errcode in its message', async () => {
			const { run } = await runWorkflow(ids.stopWorkflow);
			expect(run.status).toBe('error');
			const error = run.data.resultData.error;
			expect(error?.message).toMatch(/^Item 3 \(ghost@sandbox_oa\): WeChat errcode 65401: No such customer-service account\./);
			expect(error?.node?.name).toBe('Upload avatar');
		});

		test('a second execution uses the token stored with the credential: no token request at all', async () => {
			emulator.resetCounters();
			const { run } = await runWorkflow(ids.errorOutput);
			expect(outcome(run)).toEqual(SUCCEEDED);
			expect(outputItems(run, 'Upload avatar', 0)).toHaveLength(2);
			expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
			expect(emulator.counters.tokensMinted).toEqual({ classic: 0, stable: 0 });
			expect(emulator.counters.uploads).toBe(2);
		});

		test('the HTTP Request node with this credential (Predefined Credential Type) sends the stored token and fetches none', async () => {
			emulator.resetCounters();
			const { run } = await runWorkflow(ids.httpRequest);
			expect(outcome(run)).toEqual(SUCCEEDED);
			const [answer] = outputItems(run, 'Call WeChat');
			// WeChat answers a refused token with HTTP 200 and an errcode: only a kf_list proves the token was accepted.
			expect(answer.json).toEqual({ kf_list: expect.arrayContaining([expect.objectContaining({ kf_account: 'agent1@sandbox_oa' })]) });
			expect(emulator.counters.apiCalls['/cgi-bin/customservice/getkflist']).toBe(1);
			expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		});

		test(`uploads a batch of ${BATCH_SIZE} files (concurrency 4) in input order, one item out per item in`, async () => {
			emulator.resetCounters();
			const { run } = await runWorkflow(ids.batch);
			expect(outcome(run)).toEqual(SUCCEEDED);
			const succeeded = outputItems(run, 'Upload avatar', 0);
			expect(outputItems(run, 'Upload avatar', 1)).toEqual([]);
			expect(succeeded.map((item) => item.json.kfAccount)).toEqual(Array.from({ length: BATCH_SIZE }, (_, index) => batchAccount(index)));
			expect(succeeded.every((item) => item.json.errcode === 0)).toBe(true);
			expect(succeeded.map((item) => item.pairedItem)).toEqual(Array.from({ length: BATCH_SIZE }, (_, item) => ({ item })));
			expect(emulator.counters.uploads).toBe(BATCH_SIZE);
			expect(emulator.counters.tokenRequests.stable).toBe(0);
		});

		test('example "avatar from an image URL": the node downloads the photo itself (Image Source: URL) and keeps the input fields', async () => {
			emulator.resetCounters();
			const served = images.served();
			const { run } = await runWorkflow('wechatKfAvatarUr');
			expect(outcome(run)).toEqual(SUCCEEDED);
			expect(images.served()).toBe(served + 1);
			expect(outputItems(run, 'Set avatar').map((item) => item.json)).toEqual([
				{
					account: 'agent3@sandbox_oa',
					photoUrl: images.url('agent3.jpg'),
					errcode: 0,
					errmsg: 'ok',
					kfAccount: 'agent3@sandbox_oa',
					fileName: 'agent3.jpg',
					fileSize: 1024,
					mimeType: 'image/jpeg',
				},
			]);
			expect(emulator.uploads.at(-1)).toEqual(expect.objectContaining({ kfAccount: 'agent3@sandbox_oa', size: 1024 }));
		});

		test('example "branding refresh" (its Manual Trigger twin of the schedule): every account Get Many lists gets the new avatar; a refused one is collected by errcode', async () => {
			emulator.resetCounters();
			const uploadsBefore = emulator.uploads.length;
			const listed = emulator.accounts().map((account) => account.kf_account);
			// WeChat refuses one upload, as it does when someone deletes the account while the refresh runs.
			emulator.inject({ kind: 'errcode', errcode: 65401, after: 1 });
			const { run } = await runWorkflow('wechatKfBranding');
			expect(outcome(run)).toEqual(SUCCEEDED);
			// The run starts at the Manual Trigger, as from the editor's button; the schedule does not fire.
			expect(nodesThatRan(run)).toContain('Run now');
			expect(nodesThatRan(run)).not.toContain('Every Monday at 09:00');
			expect(outputItems(run, 'List accounts').map((item) => item.json.kf_account)).toEqual(listed);
			expect(outputItems(run, 'Read new avatar')).toHaveLength(1);

			const failures = outputItems(run, 'Failures by errcode').map((item) => item.json);
			expect(failures).toEqual([
				{
					error_errcode: 65401,
					error_meaning: 'No such customer-service account.',
					error_fix: expect.stringContaining('prefix@OfficialAccountWeChatID'),
					count_error_kfAccount: 1,
					concatenated_error_kfAccount: expect.stringMatching(/@sandbox_oa$/),
				},
			]);
			const refused = failures[0].concatenated_error_kfAccount as string;
			expect(listed).toContain(refused);
			const refreshed = listed.filter((account) => account !== refused);
			expect(outputItems(run, 'Refreshed').map((item) => item.json.kfAccount)).toEqual(refreshed);
			const uploads = emulator.uploads.slice(uploadsBefore);
			expect(uploads.map((upload) => upload.kfAccount).sort()).toEqual([...refreshed].sort());
			expect(new Set(uploads.map((upload) => upload.sha256))).toEqual(new Set([sha256(brandingAvatar)]));
			expect(emulator.counters.apiCalls['/cgi-bin/customservice/getkflist']).toBe(1);
		});

		test('as an AI agent\'s tool: n8n runs the tool variant with the arguments an agent gives ($fromAI) and the photo URL becomes the avatar', async () => {
			emulator.resetCounters();
			const { run } = await runWorkflow(ids.agentTool);
			expect(outcome(run)).toEqual(SUCCEEDED);
			const answered = toolResponse(run, 'Set agent avatar');
			expect(answered).toEqual([expect.objectContaining({ errcode: 0, kfAccount: 'agent2@sandbox_oa', fileName: 'agent2.jpg' })]);
			expect(emulator.uploads.at(-1)).toEqual(expect.objectContaining({ kfAccount: 'agent2@sandbox_oa', fileName: 'agent2.jpg' }));
		});

		test('as an AI agent\'s tool, a photo URL that leads nowhere is an answer the agent can read, with the fix, not a failed run', async () => {
			emulator.resetCounters();
			const { run } = await runWorkflow(ids.agentToolBadUrl);
			expect(outcome(run)).toEqual(SUCCEEDED);
			const [answer] = toolResponse(run, 'Set agent avatar');
			expect(answer.error).toEqual(expect.objectContaining({ field: 'Image URL', httpStatus: 404, fix: expect.stringContaining('Check Image URL') }));
			expect(String(answer.message)).toMatch(/^Item 1 \(agent2@sandbox_oa\), Image URL: HTTP 404/);
			expect(emulator.counters.uploads).toBe(0);
		});

		test('create, update, Get Many with a token the workflow gives (online status merged), delete: one account from birth to retirement', async () => {
			emulator.resetCounters();
			emulator.setOnline('agent1@sandbox_oa', { status: 2, acceptedCase: 3 });
			try {
				const { run } = await runWorkflow(ids.lifecycle);
				expect(outcome(run)).toEqual(SUCCEEDED);
				expect(outputItems(run, 'Create').map((item) => item.json)).toEqual([
					{ errcode: 0, errmsg: 'ok', kfAccount: 'temp@sandbox_oa', nickname: 'Temp' },
				]);
				expect(outputItems(run, 'Rename').map((item) => item.json)).toEqual([
					{ errcode: 0, errmsg: 'ok', kfAccount: 'temp@sandbox_oa', nickname: 'Temporary' },
				]);
				const listed = outputItems(run, 'List accounts').map((item) => item.json);
				expect(listed.find((account) => account.kf_account === 'temp@sandbox_oa')).toEqual(
					expect.objectContaining({ kf_nick: 'Temporary', kf_id: expect.any(Number), online: false, status: 0, accepted_case: 0 }),
				);
				expect(listed.find((account) => account.kf_account === 'agent1@sandbox_oa')).toEqual(
					expect.objectContaining({ online: true, status: 2, accepted_case: 3 }),
				);
				expect(outputItems(run, 'Retire').map((item) => item.json)).toEqual([
					expect.objectContaining({ errcode: 0, kfAccount: 'temp@sandbox_oa' }),
				]);
				expect(listed).toHaveLength(emulator.accounts().length + 1);
				expect(emulator.accounts().map((account) => account.kf_account)).not.toContain('temp@sandbox_oa');
				expect(emulator.counters.apiCalls).toEqual({
					'/customservice/kfaccount/add': 1,
					'/customservice/kfaccount/update': 1,
					'/cgi-bin/customservice/getkflist': 1,
					'/cgi-bin/customservice/getonlinekflist': 1,
					'/customservice/kfaccount/del': 1,
				});
			} finally {
				emulator.setOffline('agent1@sandbox_oa');
			}
		});

		describe('through `n8n start` (REST API and webhooks)', () => {

			test('the credential test reports errcode 40125 for a wrong AppSecret, and OK for the right one', async () => {
				const wrong = await server.rest.testCredential(sandboxCredential(emulator, { appSecret: 'not-the-app-secret' }));
				expect(wrong.status).toBe('Error');
				expect(wrong.message).toContain('WeChat errcode 40125: The AppSecret is not valid.');
				expect(wrong.message).not.toContain('not-the-app-secret');
				const right = await server.rest.testCredential(sandboxCredential(emulator));
				expect(right).toEqual({ status: 'OK', message: expect.any(String) });
			});

			test("the editor finds both node versions, each with its light and dark icon served", async () => {
				const types = await server.rest.nodeTypes();
				const ours = types.filter((type) => type.name === n8n.nodeType);
				expect(ours.flatMap((type) => type.version).sort()).toEqual([1, 2]);
				for (const type of ours) {
					expect(type.iconUrl).toEqual({ light: expect.stringMatching(/wechat\.svg$/), dark: expect.stringMatching(/wechat\.dark\.svg$/) });
					for (const url of [type.iconUrl?.light, type.iconUrl?.dark]) expect(await server.rest.fetchText(`/${url}`)).toContain('<svg');
				}
			});

			test('the editor gets each operation\'s output schema before a run, as it asks for it', async () => {
				const accountOperations = ['create', 'update', 'inviteWorker', 'delete', 'getAll'];
				const asked = [
					...['avatar/upload', ...accountOperations.map((operation) => `account/${operation}`)].map((path) => `2.0.0/${path}`),
					...['uploadAvatar', ...accountOperations].map((operation) => `1.0.0/account/${operation}`),
				];
				for (const operation of asked) {
					const response = await fetch(`${server.baseUrl}/schemas/${n8n.nodeType}/${operation}.json`);
					expect({ operation, status: response.status }).toEqual({ operation, status: 200 });
					const schema = (await response.json()) as { type: string; properties: Record<string, unknown> };
					expect(schema.type).toBe('object');
					expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
				}
			});

			describe('example "onboarding": Ensure Account from a webhook’s form', () => {
				const onboard = async (agent: { account: string; nickname: string; wechatId: string }, photo = { bytes: jpegBytes(4096), type: 'image/jpeg', name: 'new-agent.jpg' }) => {
					const form = new FormData();
					for (const [field, value] of Object.entries(agent)) form.append(field, value);
					form.append('photo', new Blob([photo.bytes], { type: photo.type }), photo.name);
					return await postForm(`${server.baseUrl}/webhook/wechat-kf-onboarding`, form);
				};
				const account = (name: string) => emulator.accounts().find((candidate) => candidate.kf_account === name);
				const ada = { account: 'ada@sandbox_oa', nickname: 'Ada', wechatId: 'ada_lovelace' };

				test('a new agent: the account exists with the nickname, the invitation waits, the photo is the avatar', async () => {
					emulator.resetCounters();
					expect(await onboard(ada)).toEqual({
						status: 200,
						body: {
							status: 'onboarded',
							account: 'ada@sandbox_oa',
							nickname: 'Ada',
							next: 'Accept the invitation WeChat sent to ada_lovelace within 7 days.',
							done: ['created', 'avatarUploaded', 'invited'],
						},
					});
					expect(account('ada@sandbox_oa')).toEqual(
						expect.objectContaining({
							kf_nick: 'Ada',
							invite_wx: 'ada_lovelace',
							invite_status: 'waiting',
							kf_headimgurl: expect.not.stringContaining('emulator-default-avatar'),
						}),
					);
					expect(emulator.uploads.at(-1)).toEqual(
						expect.objectContaining({ kfAccount: 'ada@sandbox_oa', fileName: 'new-agent.jpg', size: 4096, sha256: sha256(jpegBytes(4096)) }),
					);
					expect(emulator.counters.uploads).toBe(1);
				});

				test('the same agent posted again: only the photo is set again, no 65406 or 65408', async () => {
					emulator.resetCounters();
					expect((await onboard(ada)).body).toEqual(
						expect.objectContaining({
							status: 'onboarded',
							done: ['avatarUploaded'],
							next: 'Nothing to accept: an invitation to ada_lovelace is waiting for the agent to accept.',
						}),
					);
					expect(emulator.counters.apiCalls).toEqual({ '/cgi-bin/customservice/getkflist': 1, '/customservice/kfaccount/uploadheadimg': 1 });
				});

				test('a bad WeChat ID reaches Notify HR at the invitation: a phone number before any request, one WeChat refuses (65410) after the account and photo', async () => {
					emulator.resetCounters();
					const phoneNumber = await onboard({ account: 'bob@sandbox_oa', nickname: 'Bob', wechatId: '13800138000' });
					expect(phoneNumber.body).toEqual(
						expect.objectContaining({
							status: 'onboarding failed',
							subject: 'WeChat onboarding of bob@sandbox_oa stopped at "invitation"',
							errcode: null,
							meaning: 'WeChat ID "13800138000" is not a valid WeChat ID.',
							alreadyDone: [],
							text: expect.stringContaining('not a nickname or phone number'),
						}),
					);
					expect(account('bob@sandbox_oa')).toBeUndefined();
					expect(emulator.counters.apiCalls).toEqual({});
					const saturated = await onboard({ account: 'cy@sandbox_oa', nickname: 'Cy', wechatId: SATURATED_WECHAT_ID });
					expect(saturated.body).toEqual(
						expect.objectContaining({
							status: 'onboarding failed',
							step: 'invitation',
							errcode: 65410,
							meaning: 'The invited WeChat user operates as many customer-service accounts as WeChat allows.',
							alreadyDone: ['created', 'avatarUploaded'],
						}),
					);
					expect(account('cy@sandbox_oa')).toEqual(expect.objectContaining({ kf_nick: 'Cy' }));
					expect(account('cy@sandbox_oa')).not.toHaveProperty('invite_wx');
				});

				test('a photo WeChat refuses (PNG, errcode 40005) reaches Notify HR at the avatar, after the account was created', async () => {
					emulator.resetCounters();
					const notified = await onboard(
						{ account: 'dee@sandbox_oa', nickname: 'Dee', wechatId: 'dee_agent' },
						{ bytes: pngBytes(4096), type: 'image/png', name: 'dee.png' },
					);
					expect(notified.body).toEqual(
						expect.objectContaining({
							status: 'onboarding failed',
							step: 'avatar',
							errcode: 40005,
							meaning: 'WeChat refused the file type.',
							alreadyDone: ['created'],
						}),
					);
					expect(account('dee@sandbox_oa')).toEqual(expect.objectContaining({ kf_nick: 'Dee', kf_headimgurl: expect.stringContaining('emulator-default-avatar') }));
					expect(account('dee@sandbox_oa')).not.toHaveProperty('invite_wx');
					expect(emulator.counters.uploads).toBe(0);
				});
			});
		});

		test('loads through N8N_CUSTOM_EXTENSIONS too, as CUSTOM.wechatCustomerService', async () => {
			const custom = await N8nInstance.create({ installation: n8n.installation, tarball: tarball(), loading: 'custom' });
			let customServer: OwnedServer | undefined;
			try {
				expect(custom.nodeType).toBe('CUSTOM.wechatCustomerService');
				writeJpeg(join(custom.filesFolder, 'agent1.jpg'));
				await custom.importCredentials([sandboxCredential(emulator)]);
				const workflow: WorkflowJson = uploadFilesWorkflow({
					id: 'e2eCustomLoad001',
					nodeType: custom.nodeType,
					credentialId: EXAMPLE_CREDENTIAL.id,
					glob: join(custom.filesFolder, '*.jpg'),
				});
				await custom.importWorkflows([workflow]);
				customServer = await custom.startWithOwner();
				const { run } = await custom.runManually(customServer, workflow.id);
				expect(outcome(run)).toEqual(SUCCEEDED);
				expect(outputItems(run, 'Upload avatar').map((item) => item.json.errcode)).toEqual([0]);
				expect((await custom.loadProblems()).problems).toEqual([]);
			} finally {
				await customServer?.stop();
				custom.dispose();
			}
		});
	});
}
