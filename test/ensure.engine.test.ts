import { errcodeTable } from '../nodes/WeChatCustomerService/errors';
import { startPhotoServer } from './fixtures/photoServer';
import { jpegItem, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

const SATURATED = 'busy_agent';
const agent = (account: string, name: string, wechatId = '') => jpegItem(`${account.split('@')[0]}.jpg`, { account, name, wechatId });
const described = { kfAccount: '={{ $json.account }}', nickname: '={{ $json.name }}', inviteWx: '={{ $json.wechatId }}', binaryPropertyName: 'data' };
const errorOf = (item: { json: Record<string, unknown> }) => item.json.error as Record<string, unknown>;

describe('Ensure Account', () => {
	test('new agents: each account is created with its nickname, gets its avatar and invites the agent; one account list serves the batch', async () => {
		const { emulator, run } = await sandbox();
		emulator.resetCounters();
		const { success } = await run('ensure', [agent('ada@sandbox_oa', 'Ada', 'ada_lovelace'), agent('lin@sandbox_oa', '林客服')], {
			parameters: described,
			nodeOptions: { concurrency: 2 },
		});

		expect(success.map((item) => item.json)).toEqual([
			{
				errcode: 0,
				errmsg: 'ok',
				kfAccount: 'ada@sandbox_oa',
				nickname: 'Ada',
				inviteWx: 'ada_lovelace',
				done: ['created', 'avatarUploaded', 'invited'],
				steps: { account: 'created', nickname: 'unchanged', avatar: 'avatarUploaded', invitation: 'invited' },
				unchangedBecause: { nickname: 'set when the account was created' },
			},
			expect.objectContaining({
				kfAccount: 'lin@sandbox_oa',
				done: ['created', 'avatarUploaded'],
				unchangedBecause: { nickname: 'set when the account was created', invitation: 'no WeChat ID to invite' },
			}),
		]);
		expect(emulator.counters.apiCalls).toEqual({
			'/cgi-bin/customservice/getkflist': 1,
			'/customservice/kfaccount/add': 2,
			'/customservice/kfaccount/uploadheadimg': 2,
			'/customservice/kfaccount/inviteworker': 1,
		});
		expect(emulator.accounts().find((account: { kf_account: string }) => account.kf_account === 'lin@sandbox_oa')).toMatchObject({ kf_nick: '林客服' });
	});

	test('the same items again: only the avatar is redone (Upload Avatar: Always), and with Only When the Account Has None nothing at all', async () => {
		const { emulator, run } = await sandbox();
		const items = () => [agent('ada@sandbox_oa', 'Ada', 'ada_lovelace')];
		await run('ensure', items(), { parameters: described });
		emulator.resetCounters();

		const again = await run('ensure', items(), { parameters: described });
		expect(again.success[0].json).toMatchObject({
			done: ['avatarUploaded'],
			steps: { account: 'unchanged', nickname: 'unchanged', avatar: 'avatarUploaded', invitation: 'unchanged' },
			unchangedBecause: {
				account: 'WeChat lists it',
				nickname: 'already "Ada"',
				invitation: 'an invitation to ada_lovelace is waiting for the agent to accept',
			},
		});
		const whenMissing = await run('ensure', items(), { parameters: { ...described, avatarPolicy: 'whenMissing' } });
		expect(whenMissing.success[0].json).toMatchObject({ done: [], unchangedBecause: { avatar: expect.stringContaining('has one') } });
		expect(emulator.counters.apiCalls).toEqual({ '/cgi-bin/customservice/getkflist': 2, '/customservice/kfaccount/uploadheadimg': 1 });
	});

	test('an existing account is renamed when its nickname differs, and a bound agent is not invited again', async () => {
		const { emulator, run } = await sandbox();
		await run('ensure', [agent('ada@sandbox_oa', 'Ada', 'ada_lovelace')], { parameters: described });
		emulator.acceptInvitation('ada@sandbox_oa');
		emulator.resetCounters();

		const { success } = await run('ensure', [agent('ada@sandbox_oa', 'Ada L.', 'ada_lovelace')], { parameters: { ...described, avatarPolicy: 'whenMissing' } });

		expect(success[0].json).toMatchObject({
			done: ['renamed'],
			unchangedBecause: { invitation: 'already bound to ada_lovelace' },
		});
		expect(emulator.counters.apiCalls).toEqual({ '/cgi-bin/customservice/getkflist': 1, '/customservice/kfaccount/update': 1 });
	});

	test('a failure names its step and what was done before it; the item goes to the error output', async () => {
		const { emulator, run } = await sandbox({ saturatedWeChatIds: [SATURATED] });
		const { success, errorOutput } = await run('ensure', [agent('ada@sandbox_oa', 'Ada', SATURATED)], {
			parameters: described,
			onError: 'continueErrorOutput',
		});

		expect(success).toEqual([]);
		expect(errorOf(errorOutput[0])).toMatchObject({
			errcode: 65410,
			meaning: errcodeTable[65410].meaning,
			kfAccount: 'ada@sandbox_oa',
			step: 'invitation',
			done: ['created', 'avatarUploaded'],
		});
		expect(errorOutput[0].json.message).toMatch(/^Item 1 \(ada@sandbox_oa\), step "invitation": WeChat errcode 65410/);
		expect(emulator.uploads).toHaveLength(1);
	});

	test('bad input fails the item before any request: a nickname too long, a WeChat ID that cannot be one, no binary', async () => {
		const { emulator, run } = await sandbox();
		emulator.resetCounters();
		const { errorOutput } = await run(
			'ensure',
			[agent('ada@sandbox_oa', 'A'.repeat(17)), agent('lin@sandbox_oa', 'Lin', '+86 138 0000 0000'), { json: { account: 'max@sandbox_oa', name: 'Max' } }],
			{ parameters: described, onError: 'continueErrorOutput' },
		);

		expect(errorOutput.map((item) => [errorOf(item).parameter, errorOf(item).step, errorOf(item).done])).toEqual([
			['nickname', 'nickname', []],
			['inviteWx', 'invitation', []],
			['binaryPropertyName', 'avatar', []],
		]);
		expect(emulator.counters.apiCalls).toEqual({});
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
	});

	test('takes the avatar from a URL too', async () => {
		const photos = await startPhotoServer();
		try {
			const { emulator, run } = await sandbox();
			const { success } = await run('ensure', [{ json: { account: 'ada@sandbox_oa', name: 'Ada', url: photos.url('/photos/ada.jpg') } }], {
				parameters: { kfAccount: '={{ $json.account }}', nickname: '={{ $json.name }}', imageSource: 'url', imageUrl: '={{ $json.url }}' },
			});

			expect(success[0].json.done).toEqual(['created', 'avatarUploaded']);
			expect(emulator.uploads.map((upload) => upload.fileName)).toEqual(['ada.jpg']);
		} finally {
			await photos.close();
		}
	});
});
