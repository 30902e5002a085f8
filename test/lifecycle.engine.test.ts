import { errcodeTable, GIVEN_TOKEN_STALE_FIX } from '../nodes/WeChatCustomerService/errors';
import { jpegItem, sandboxPerTest, tokenFromElsewhere } from './engine/sandbox';

const sandbox = sandboxPerTest();

/** Each parameter as n8n's panel shows it. */
const FIELD_SHOWN: Record<string, string> = { kfAccount: 'Customer Service Account', nickname: 'Nickname', inviteWx: 'WeChat ID' };

const errorOf = (item: { json: Record<string, unknown> }) => item.json.error as Record<string, unknown>;

describe('the account lifecycle in the n8n engine', () => {
	test('Create adds accounts from each item, then Get Many lists them with kf_account, kf_nick, kf_id and kf_headimgurl', async () => {
		const { emulator, run } = await sandbox();
		const created = await run('create', [{ json: { account: 'ada@sandbox_oa', name: 'Ada' } }, { json: { account: 'lin@sandbox_oa', name: '林客服' } }], {
			parameters: { kfAccount: '={{ $json.account }}', nickname: '={{ $json.name }}' },
		});

		expect(created.success.map((item) => item.json)).toEqual([
			{ errcode: 0, errmsg: 'ok', kfAccount: 'ada@sandbox_oa', nickname: 'Ada' },
			{ errcode: 0, errmsg: 'ok', kfAccount: 'lin@sandbox_oa', nickname: '林客服' },
		]);
		const listed = await run('getAll', [{ json: {} }], { parameters: { returnAll: true } });
		const names = listed.success.map((item) => item.json.kf_account);
		expect(names).toEqual(expect.arrayContaining(['agent1@sandbox_oa', 'ada@sandbox_oa', 'lin@sandbox_oa']));
		expect(listed.success.find((item) => item.json.kf_account === 'lin@sandbox_oa')?.json).toMatchObject({
			kf_nick: '林客服',
			kf_id: expect.any(Number),
			kf_headimgurl: expect.stringMatching(/^https?:\/\//),
		});
		expect(listed.success.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(emulator.accounts().map((account: { kf_account: string }) => account.kf_account)).toContain('lin@sandbox_oa');
	});

	test('Get Many honours Limit and merges online status on request', async () => {
		const { emulator, run } = await sandbox();
		emulator.setOnline('agent2@sandbox_oa', { status: 1, acceptedCase: 3 });
		const limited = await run('getAll', [{ json: {} }], { parameters: { returnAll: false, limit: 2 } });
		expect(limited.success).toHaveLength(2);

		const withStatus = await run('getAll', [{ json: {} }], { parameters: { returnAll: true, includeOnlineStatus: true } });
		const byAccount = Object.fromEntries(withStatus.success.map((item) => [item.json.kf_account, item.json]));
		expect(byAccount['agent2@sandbox_oa']).toMatchObject({ online: true, status: 1, accepted_case: 3 });
		expect(byAccount['agent1@sandbox_oa']).toMatchObject({ online: false, status: 0, accepted_case: 0 });
		expect(emulator.counters.apiCalls['/cgi-bin/customservice/getonlinekflist']).toBe(1);
	});

	test('Update renames, Invite Worker invites, Delete removes, each answering errcode 0', async () => {
		const { emulator, run } = await sandbox();
		const renamed = await run('update', [{ json: {} }], { parameters: { kfAccount: 'agent1@sandbox_oa', nickname: 'Front desk' } });
		const invited = await run('inviteWorker', [{ json: {} }], { parameters: { kfAccount: 'agent1@sandbox_oa', inviteWx: 'ada_lovelace' } });
		const deleted = await run('delete', [{ json: {} }], { parameters: { kfAccount: 'agent3@sandbox_oa' } });

		expect(renamed.success[0].json).toEqual({ errcode: 0, errmsg: 'ok', kfAccount: 'agent1@sandbox_oa', nickname: 'Front desk' });
		expect(invited.success[0].json).toEqual({ errcode: 0, errmsg: 'ok', kfAccount: 'agent1@sandbox_oa', inviteWx: 'ada_lovelace' });
		expect(deleted.success[0].json).toEqual({ errcode: 0, errmsg: 'ok', kfAccount: 'agent3@sandbox_oa', deleted: true });
		const accounts = emulator.accounts() as Array<{ kf_account: string; kf_nick: string; invite_wx?: string }>;
		expect(accounts.find((account) => account.kf_account === 'agent1@sandbox_oa')).toMatchObject({ kf_nick: 'Front desk', invite_wx: 'ada_lovelace' });
		expect(accounts.some((account) => account.kf_account === 'agent3@sandbox_oa')).toBe(false);
	});

	test.each([
		['create', { kfAccount: 'agent1@sandbox_oa', nickname: 'Dup' }, 65406],
		['update', { kfAccount: 'ghost@sandbox_oa', nickname: 'Nobody' }, 65401],
		['delete', { kfAccount: 'ghost@sandbox_oa' }, 65401],
	] as const)('%s with %j answers errcode %i with its meaning and fix on the error output', async (operation, parameters, errcode) => {
		const { run } = await sandbox();
		const { errorOutput } = await run(operation, [{ json: {} }], { parameters, onError: 'continueErrorOutput' });

		expect(errorOf(errorOutput[0])).toMatchObject({ errcode, meaning: errcodeTable[errcode].meaning, fix: errcodeTable[errcode].fix });
	});

	test('inviting the same agent twice answers 65408, and once bound 65407', async () => {
		const { emulator, run } = await sandbox();
		const invite = () =>
			run('inviteWorker', [{ json: {} }], {
				parameters: { kfAccount: 'agent1@sandbox_oa', inviteWx: 'ada_lovelace' },
				onError: 'continueErrorOutput',
			});
		await invite();
		expect(errorOf((await invite()).errorOutput[0]).errcode).toBe(65408);
		emulator.acceptInvitation('agent1@sandbox_oa');
		expect(errorOf((await invite()).errorOutput[0]).errcode).toBe(65407);
	});

	test.each([
		['create', { kfAccount: 'bad account', nickname: 'A' }, 'kfAccount'],
		['create', { kfAccount: 'new1@sandbox_oa', nickname: '   ' }, 'nickname'],
		['create', { kfAccount: 'new1@sandbox_oa', nickname: '这是一个超过十六个字符的客服昵称名字' }, 'nickname'],
		['update', { kfAccount: 'agent1@sandbox_oa', nickname: 'x'.repeat(17) }, 'nickname'],
		['inviteWorker', { kfAccount: 'agent1@sandbox_oa', inviteWx: '13800138000' }, 'inviteWx'],
		['inviteWorker', { kfAccount: 'agent1@sandbox_oa', inviteWx: 'ab' }, 'inviteWx'],
		['delete', { kfAccount: 'agent1' }, 'kfAccount'],
	] as const)('%s with a bad %j is refused locally, naming the field, before any request', async (operation, parameters, field) => {
		const { emulator, run } = await sandbox();
		const { errorOutput } = await run(operation, [{ json: {} }], { parameters, onError: 'continueErrorOutput' });

		expect(errorOf(errorOutput[0])).toMatchObject({ parameter: field, field: FIELD_SHOWN[field], errcode: null, category: 'bad input' });
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		expect(emulator.counters.apiCalls).toEqual({});
	});

	test('a nickname of 16 Chinese characters is accepted', async () => {
		const { run } = await sandbox();
		const { success } = await run('create', [{ json: {} }], { parameters: { kfAccount: 'cn@sandbox_oa', nickname: '一二三四五六七八九十一二三四五六' } });

		expect(success[0].json.errcode).toBe(0);
	});

	test('the lifecycle shares one stored token across operations and executions', async () => {
		const { emulator, run, upload } = await sandbox();
		await run('create', [{ json: {} }], { parameters: { kfAccount: 'new1@sandbox_oa', nickname: 'New' } });
		await run('inviteWorker', [{ json: {} }], { parameters: { kfAccount: 'new1@sandbox_oa', inviteWx: 'new_agent_1' } });
		await upload([jpegItem()], { parameters: { kfAccount: 'new1@sandbox_oa' } });
		await run('getAll', [{ json: {} }], { parameters: { returnAll: true } });

		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 1 });
	});
});

describe('authentication with an access token given by the workflow', () => {

	test('uploads and lists with the token each item carries, fetching none itself', async () => {
		const { emulator, upload, run } = await sandbox();
		const token = await tokenFromElsewhere(emulator);
		emulator.resetCounters();
		const parameters = { authentication: 'none', accessToken: '={{ $json.token }}', baseUrl: emulator.baseUrl };
		const uploaded = await upload([jpegItem('a.jpg', { token })], { parameters });
		const listed = await run('getAll', [{ json: { token } }], { parameters: { ...parameters, returnAll: true } });

		expect(uploaded.success[0].json.errcode).toBe(0);
		expect(listed.success.length).toBeGreaterThan(0);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		expect(emulator.uploads.at(-1)?.accessToken).toBe(token);
	});

	test('a stale given token is reported with its fix, not refreshed, and stays out of the output', async () => {
		const { emulator, upload } = await sandbox();
		const token = await tokenFromElsewhere(emulator);
		emulator.expireAllTokens();
		emulator.resetCounters();
		const { errorOutput } = await upload([jpegItem('a.jpg')], {
			onError: 'continueErrorOutput',
			parameters: { authentication: 'none', accessToken: token, baseUrl: emulator.baseUrl },
		});

		expect(errorOf(errorOutput[0])).toMatchObject({ errcode: 42001, category: 'token stale', fix: GIVEN_TOKEN_STALE_FIX, retryable: false });
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		expect(emulator.counters.apiCalls['/customservice/kfaccount/uploadheadimg']).toBe(1);
		expect(JSON.stringify(errorOutput[0].json)).not.toContain(token);
	});

	test('an empty given token fails the item before any request', async () => {
		const { emulator, upload } = await sandbox();
		const { errorOutput } = await upload([jpegItem()], {
			onError: 'continueErrorOutput',
			parameters: { authentication: 'none', accessToken: '={{ $json.missing }}', baseUrl: emulator.baseUrl },
		});

		expect(errorOf(errorOutput[0])).toMatchObject({ field: 'Access Token', parameter: 'accessToken', category: 'bad input' });
		expect(emulator.counters.apiCalls).toEqual({});
	});

	describe('a change whose answer was lost, then retried', () => {
		test.each([
			['create', 65406, '/customservice/kfaccount/add', { kfAccount: 'ada@sandbox_oa', nickname: 'Ada' }],
			['inviteWorker', 65408, '/customservice/kfaccount/inviteworker', { kfAccount: 'agent1@sandbox_oa', inviteWx: 'ada_lovelace' }],
			['delete', 65401, '/customservice/kfaccount/del', { kfAccount: 'agent2@sandbox_oa' }],
		] as const)('%s: WeChat carried it out and the reset ate the answer; the retry hears %i and the item succeeds, marked alreadyDone', async (operation, retryErrcode, path, parameters) => {
			const { emulator, run } = await sandbox();
			emulator.inject({ kind: 'commitThenReset', path });
			const { success } = await run(operation, [{ json: {} }], { parameters });

			expect(success).toHaveLength(1);
			expect(success[0].json).toMatchObject({ errcode: 0, kfAccount: parameters.kfAccount, alreadyDone: true, retryErrcode });
			expect(emulator.counters.apiCalls[path]).toBe(2);
		});

		test('an answer lost to a hang (timeout) counts the same; the change is made once', async () => {
			const { emulator, run } = await sandbox();
			emulator.inject({ kind: 'commitThenHang', path: '/customservice/kfaccount/add' });
			const { success } = await run('create', [{ json: {} }], {
				parameters: { kfAccount: 'ada@sandbox_oa', nickname: 'Ada' },
				nodeOptions: { timeoutMs: 300 },
			});

			expect(success[0].json).toMatchObject({ errcode: 0, alreadyDone: true, retryErrcode: 65406 });
			expect(emulator.accounts().filter((account: { kf_account: string }) => account.kf_account === 'ada@sandbox_oa')).toHaveLength(1);
		});

		test('a failed token fetch before the call is no lost answer: "already exists" after it stays a failure', async () => {
			const { emulator, run } = await sandbox();
			emulator.inject({ kind: 'html502', path: '/cgi-bin/stable_token' });
			const { errorOutput } = await run('create', [{ json: {} }], {
				parameters: { kfAccount: 'agent1@sandbox_oa', nickname: 'Dup' },
				onError: 'continueErrorOutput',
			});

			expect(errorOf(errorOutput[0])).toMatchObject({ errcode: 65406 });
			expect(emulator.counters.apiCalls['/customservice/kfaccount/add']).toBe(1);
		});

		test('without a lost answer, "already exists" stays a failure: the account was there before', async () => {
			const { run } = await sandbox();
			const { errorOutput } = await run('create', [{ json: {} }], {
				parameters: { kfAccount: 'agent1@sandbox_oa', nickname: 'Dup' },
				onError: 'continueErrorOutput',
			});

			expect(errorOf(errorOutput[0])).toMatchObject({ errcode: 65406 });
		});

		test('Upload Avatar after a lost answer simply succeeds on the retry, without alreadyDone', async () => {
			const { emulator, upload } = await sandbox();
			emulator.inject({ kind: 'commitThenReset' });
			const { success } = await upload([jpegItem()]);

			expect(success[0].json).toMatchObject({ errcode: 0 });
			expect(success[0].json.alreadyDone).toBeUndefined();
			expect(emulator.counters.uploads).toBe(2);
		});
	});
});
