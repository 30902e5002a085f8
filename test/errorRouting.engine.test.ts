import { gifBytes, jpegBytes } from './fixtures/images';
import { ACCOUNT, jpegItem, sandboxPerTest } from './engine/sandbox';
import { errcodeTable } from '../nodes/WeChatCustomerService/errors';

const sandbox = sandboxPerTest();

const UNKNOWN_ACCOUNT = 'ghost@sandbox_oa';

describe('errcode routing in each On Error mode', () => {
	test('Continue (using error output): the failed item lands on the error output with errcode, meaning, fix and account', async () => {
		const { upload } = await sandbox();
		const { success, errorOutput } = await upload(
			[jpegItem('a.jpg', { account: ACCOUNT, row: 1 }), jpegItem('b.jpg', { account: UNKNOWN_ACCOUNT, row: 2 })],
			{ onError: 'continueErrorOutput', parameters: { kfAccount: '={{ $json.account }}' } },
		);

		expect(success).toHaveLength(1);
		expect(success[0].json).toMatchObject({ errcode: 0, kfAccount: ACCOUNT });
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toEqual({ item: 1 });
		expect(errorOutput[0].json).toMatchObject({
			row: 2,
			error: {
				errcode: 65401,
				errmsg: expect.any(String),
				category: 'bad input',
				meaning: errcodeTable[65401].meaning,
				fix: errcodeTable[65401].fix,
				retryable: false,
				kfAccount: UNKNOWN_ACCOUNT,
			},
		});
		expect(String(errorOutput[0].json.message)).toContain('65401');
	});

	test('Continue: the failed item stays on the single output, its JSON being the error', async () => {
		const { upload } = await sandbox();
		const { success, errorOutput, run } = await upload(
			[jpegItem('a.jpg', { account: UNKNOWN_ACCOUNT }), jpegItem('b.jpg', { account: ACCOUNT })],
			{ onError: 'continueRegularOutput', parameters: { kfAccount: '={{ $json.account }}' } },
		);

		expect(run.data.resultData.error).toBeUndefined();
		expect(errorOutput).toHaveLength(0);
		expect(success).toHaveLength(2);
		expect(success[0]).toMatchObject({
			json: { error: { errcode: 65401, kfAccount: UNKNOWN_ACCOUNT, fix: errcodeTable[65401].fix } },
			pairedItem: { item: 0 },
		});
		expect(success[1]).toMatchObject({ json: { errcode: 0 }, pairedItem: { item: 1 } });
	});

	test('Stop Workflow: the run fails with a NodeApiError carrying the errcode, its meaning and the fix', async () => {
		const { upload } = await sandbox();
		const { run, error } = await upload([jpegItem('a.jpg', { account: UNKNOWN_ACCOUNT })], {
			parameters: { kfAccount: '={{ $json.account }}' },
		});

		expect(run.status).toBe('error');
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('WeChat errcode 65401');
		expect(error?.message).toContain(errcodeTable[65401].meaning);
		expect(error?.message).toContain(errcodeTable[65401].fix);
		expect(error?.message).toContain(UNKNOWN_ACCOUNT);
	});

	test('Stop Workflow: a bad item found locally fails the run with a NodeOperationError naming item and field', async () => {
		const { emulator, upload } = await sandbox();
		const { run, error } = await upload([jpegItem(), { json: {}, binary: { data: { bytes: gifBytes(), fileName: 'a.gif' } } }]);

		expect(run.status).toBe('error');
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^Item 2 .*Binary Property/);
		expect(error?.message).toContain('GIF');
		expect(emulator.counters.uploads).toBeLessThanOrEqual(1);
	});

	test.each([
		['found locally', { json: {}, binary: { data: { bytes: gifBytes(), fileName: 'a.gif' } } }],
		['refused by WeChat', jpegItem('b.jpg', { account: UNKNOWN_ACCOUNT })],
	])('Stop Workflow, second item %s: the message counts it once, from 1, and gives the editor no itemIndex to append as "[item 1]"', async (_, second) => {
		const { upload } = await sandbox();
		const { error } = await upload([jpegItem('a.jpg', { account: 'agent1@sandbox_oa' }), second], {
			parameters: { kfAccount: '={{ $json.account }}' },
		});

		expect(error?.message).toMatch(/^Item 2 /);
		expect(error?.message).not.toMatch(/item 1\b/i);
		expect((error?.context as { itemIndex?: number } | undefined)?.itemIndex).toBeUndefined();
	});

	test.each([
		[40005, 'bad input'],
		[45009, 'quota'],
		[48001, 'credential'],
		[65400, 'credential'],
		[40164, 'credential'],
		[99999, 'other'],
	])('errcode %i is routed as %s and not retried', async (errcode, category) => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'errcode', errcode, errmsg: `emulated ${errcode}` });
		const { errorOutput } = await upload([jpegItem()], { onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.error).toMatchObject({ errcode, errmsg: `emulated ${errcode}`, category, retryable: false });
		expect(emulator.counters.apiCalls['/customservice/kfaccount/uploadheadimg']).toBe(1);
	});

	test('a PNG that WeChat refuses with 40005 gets the advice to convert it to JPEG', async () => {
		const { upload } = await sandbox({ rejectPng: true });
		const { errorOutput } = await upload(
			[{ binary: { data: { bytes: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), jpegBytes(100)]), fileName: 'logo.png' } } }],
			{ onError: 'continueErrorOutput' },
		);

		expect(errorOutput[0].json.error).toMatchObject({ errcode: 40005, category: 'bad input' });
		expect(String((errorOutput[0].json.error as { fix: string }).fix)).toContain('Edit Image');
	});

	test('an errcode WeChat sends as a numeric string is routed as that errcode, with its meaning and fix', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'stringErrcode', errcode: 40005 });
		const { errorOutput } = await upload([jpegItem()], { onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.error).toMatchObject({ errcode: 40005, category: 'bad input', meaning: errcodeTable[40005].meaning });
	});
});
