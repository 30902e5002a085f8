import { jpegItem, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

const UPLOAD = '/customservice/kfaccount/uploadheadimg';

describe('retries', () => {
	test.each([
		['busy (errcode -1)', { kind: 'busy' }],
		['HTML 502', { kind: 'html502' }],
		['a connection reset', { kind: 'reset' }],
	] as const)('%s is retried with backoff and the item then succeeds', async (_name, fault) => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ ...fault, times: 2 });
		const { success } = await upload([jpegItem()]);

		expect(success[0].json.errcode).toBe(0);
		expect(emulator.counters.apiCalls[UPLOAD]).toBe(3);
	});

	test('busy beyond Max Retries fails the item with errcode -1 after 1 + maxRetries attempts', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'busy', times: 10 });
		const { errorOutput } = await upload([jpegItem()], { onError: 'continueErrorOutput', nodeOptions: { maxRetries: 2 } });

		expect(errorOutput[0].json.error).toMatchObject({ errcode: -1, category: 'busy', retryable: true });
		expect(emulator.counters.apiCalls[UPLOAD]).toBe(3);
	});

	test('an answer that never comes times out, is retried, and then fails with a clear error', async () => {
		const { emulator, upload } = await sandbox();
		await upload([jpegItem()]); // token stored: the hang below meets the upload, not the token fetch
		emulator.resetCounters();
		emulator.inject({ kind: 'hang', times: 2 });
		const { errorOutput } = await upload([jpegItem()], {
			onError: 'continueErrorOutput',
			nodeOptions: { timeoutMs: 300, maxRetries: 1 },
		});

		expect(errorOutput[0].json.error).toMatchObject({ errcode: null, category: 'network', retryable: true });
		expect(String(errorOutput[0].json.message)).toContain('did not answer in time');
		expect(emulator.counters.apiCalls[UPLOAD]).toBe(2);
	});

	test('a body that is not JSON fails the item, keeps the raw text and is not retried', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'unquotedErrcode' });
		const { errorOutput, success } = await upload([jpegItem()], { onError: 'continueErrorOutput' });

		expect(success).toHaveLength(0);
		expect(errorOutput[0].json.error).toMatchObject({ errcode: null, category: 'other', retryable: false });
		expect(String((errorOutput[0].json.error as { errmsg: string }).errmsg)).toContain('"errcode":ok');
		expect(emulator.counters.apiCalls[UPLOAD]).toBe(1);
	});

	test('a truncated JSON body is a failure, never a success', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'truncatedJson' });
		const { errorOutput, success } = await upload([jpegItem()], { onError: 'continueErrorOutput' });

		expect(success).toHaveLength(0);
		expect(errorOutput).toHaveLength(1);
	});

	test('a stale token is refreshed once per item, never in a loop', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'errcode', errcode: 42001, times: 5 });
		const { errorOutput } = await upload([jpegItem()], { onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.error).toMatchObject({ errcode: 42001, category: 'token stale' });
		expect(emulator.counters.apiCalls[UPLOAD]).toBe(2);
	});

	test('nothing answering at the Base URL fails every item as unreachable', async () => {
		const { emulator, store, upload } = await sandbox();
		const baseUrl = emulator.baseUrl;
		await emulator.close();
		store.put('wechat-credential-1', { ...store.get('wechat-credential-1'), baseUrl });
		const { errorOutput } = await upload([jpegItem(), jpegItem()], {
			onError: 'continueErrorOutput',
			nodeOptions: { maxRetries: 1 },
		});

		expect(errorOutput).toHaveLength(2);
		expect(errorOutput[0].json.error).toMatchObject({ errcode: null, category: 'network' });
		expect(String(errorOutput[0].json.message)).toContain('Nothing answered');
	});
});
