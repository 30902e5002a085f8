import type { INodeProperties } from 'n8n-workflow';

import { WechatCustomerService } from '../nodes/WeChatCustomerService/WechatCustomerService.node';
import { runWorkflow, type InputItem } from './engine/runWorkflow';
import { ACCOUNT, jpegItem, sandboxPerTest, tokenFromElsewhere } from './engine/sandbox';

const sandbox = sandboxPerTest();

const node = new WechatCustomerService();
const field = (version: number, name: string): INodeProperties[] =>
	node.nodeVersions[version].description.properties.filter((property) => property.name === name);
const values = (property: INodeProperties) => ((property.options ?? []) as Array<{ value: string }>).map((option) => option.value);

describe('node versions', () => {
	test('new nodes are v2: Avatar is the first resource and Upload its operation, the lifecycle beside it', () => {
		expect(node.description.defaultVersion).toBe(2);
		expect(values(field(2, 'resource')[0])).toEqual(['avatar', 'account']);
		expect(field(2, 'resource')[0].default).toBe('avatar');
		expect(field(2, 'operation').map(values)).toEqual([['upload'], ['create', 'delete', 'ensure', 'getAll', 'inviteWorker', 'update']]);
	});

	test("v2's workflow-token mode is the value 'none', which n8n's editor keeps in the panel rather than the credential dialog", () => {
		expect(values(field(2, 'authentication')[0])).toEqual(['appCredential', 'none']);
		expect(field(2, 'accessToken')[0].displayOptions).toEqual({ show: { authentication: ['none'] } });
		expect(field(1, 'authentication').map(values)).toEqual([['appCredential', 'givenAccessToken']]);
	});

	test('a workflow saved with v1 still runs every operation with the parameters it was saved with', async () => {
		const { emulator, store } = await sandbox();
		const runV1 = (items: InputItem[], parameters: Record<string, unknown>) =>
			runWorkflow({ store, items, typeVersion: 1, parameters: { resource: 'account', options: { retryDelayMs: 5 }, ...parameters } });

		const uploaded = await runV1([jpegItem()], { operation: 'uploadAvatar', kfAccount: ACCOUNT, binaryPropertyName: 'data' });
		const created = await runV1([{ json: {} }], { operation: 'create', kfAccount: 'ada@sandbox_oa', nickname: 'Ada' });
		const updated = await runV1([{ json: {} }], { operation: 'update', kfAccount: 'ada@sandbox_oa', nickname: 'Ada L.' });
		const invited = await runV1([{ json: {} }], { operation: 'inviteWorker', kfAccount: 'ada@sandbox_oa', inviteWx: 'ada_lovelace' });
		const listed = await runV1([{ json: {} }], { operation: 'getAll', returnAll: true });
		const deleted = await runV1([{ json: {} }], { operation: 'delete', kfAccount: 'ada@sandbox_oa' });

		expect(uploaded.success[0].json).toMatchObject({ errcode: 0, kfAccount: ACCOUNT });
		expect([created, updated, invited, deleted].map((result) => result.success[0].json.errcode)).toEqual([0, 0, 0, 0]);
		expect(listed.success.map((item) => item.json.kf_account)).toContain(ACCOUNT);
		expect(emulator.uploads).toHaveLength(1);
	});

	test("a v1 workflow with the workflow's own token ('givenAccessToken') still uses it and fetches none", async () => {
		const { emulator, store } = await sandbox();
		const token = await tokenFromElsewhere(emulator);
		emulator.resetCounters();

		const { success } = await runWorkflow({
			store,
			items: [jpegItem('a.jpg', { token })],
			typeVersion: 1,
			parameters: {
				authentication: 'givenAccessToken',
				accessToken: '={{ $json.token }}',
				baseUrl: emulator.baseUrl,
				resource: 'account',
				operation: 'uploadAvatar',
				kfAccount: ACCOUNT,
				binaryPropertyName: 'data',
			},
		});

		expect(success[0].json.errcode).toBe(0);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		expect(emulator.uploads.at(-1)?.accessToken).toBe(token);
	});
});
