import { CREDENTIAL_ID, runWorkflow } from './engine/runWorkflow';
import { jpegItem, jpegItems, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

describe('access tokens', () => {
	test('one token serves a batch of 30 items at concurrency 8, fetched from the stable endpoint and stored', async () => {
		const { emulator, store, upload } = await sandbox();
		const { success } = await upload(jpegItems(30), { nodeOptions: { concurrency: 8 } });

		expect(success.filter((item) => item.json.errcode === 0)).toHaveLength(30);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 1 });
		expect(emulator.counters.tokensMinted).toEqual({ classic: 0, stable: 1 });
		expect(store.get(CREDENTIAL_ID).accessToken).toBe(emulator.mintedTokens()[0]);
		expect(new Set(emulator.uploads.map((received) => received.accessToken))).toEqual(
			new Set([emulator.mintedTokens()[0]]),
		);
	});

	test('an execution that finds a valid stored token fetches none', async () => {
		const { emulator, upload } = await sandbox();
		await upload([jpegItem()]);
		emulator.resetCounters();
		const { success } = await upload(jpegItems(5), { nodeOptions: { concurrency: 3 } });

		expect(success.every((item) => item.json.errcode === 0)).toBe(true);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
	});

	test('tokens expiring mid-batch at concurrency 8 cost exactly one refresh, and every item still succeeds', async () => {
		const { emulator, store, upload } = await sandbox();
		await upload([jpegItem()]);
		const firstToken = store.get(CREDENTIAL_ID).accessToken;
		emulator.expireAllTokens();
		emulator.resetCounters();
		const { success } = await upload(jpegItems(24), { nodeOptions: { concurrency: 8 } });

		expect(success.map((item) => item.json.errcode)).toEqual(Array(24).fill(0));
		expect(emulator.counters.tokenRequests.stable).toBe(1);
		expect(emulator.counters.tokensMinted.stable).toBe(1);
		expect(store.get(CREDENTIAL_ID).accessToken).not.toBe(firstToken);
		// Items in flight when the token died were sent once more; none was sent a third time.
		expect(emulator.counters.apiCalls['/customservice/kfaccount/uploadheadimg']).toBeLessThanOrEqual(24 + 8);
	});

	test('tokens expiring in the middle of a batch at concurrency 8 cost one refresh; no item is lost', async () => {
		const { emulator, upload } = await sandbox();
		await upload([jpegItem()]);
		emulator.resetCounters();
		emulator.inject({ kind: 'expireTokens', after: 12 });
		const { success } = await upload(jpegItems(40), { nodeOptions: { concurrency: 8 } });

		expect(success.map((item) => item.json.errcode)).toEqual(Array(40).fill(0));
		expect(success.map((item) => item.pairedItem)).toEqual(Array.from({ length: 40 }, (_, item) => ({ item })));
		expect(emulator.counters.tokenRequests.stable).toBe(1);
		expect(emulator.counters.tokensMinted.stable).toBe(1);
		expect(emulator.counters.apiCalls['/customservice/kfaccount/uploadheadimg']).toBeGreaterThan(40);
	});

	test('a token another execution or worker stored meanwhile is used instead of fetching one', async () => {
		const { emulator, store, upload } = await sandbox({}, { tokenEndpoint: 'classic' });
		await upload([jpegItem()]);
		// Another worker fetched a newer classic token and stored it; WeChat now refuses ours.
		const ourToken = String(store.get(CREDENTIAL_ID).accessToken);
		const fresh = await fetch(
			`${emulator.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${emulator.appId}&secret=${emulator.appSecret}`,
		).then((response) => response.json() as Promise<{ access_token: string }>);
		emulator.inject({ kind: 'errcode', errcode: 40001 });
		store.replaceAfterNextRead(CREDENTIAL_ID, { ...store.get(CREDENTIAL_ID), accessToken: fresh.access_token });
		emulator.resetCounters();

		const { success } = await upload([jpegItem()]);
		expect(ourToken).not.toBe(fresh.access_token);
		expect(success[0].json.errcode).toBe(0);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		expect(emulator.uploads.at(-1)?.accessToken).toBe(fresh.access_token);
	});

	test('force_refresh is used only when the stable endpoint hands back the very token the API refused', async () => {
		const { emulator, store, upload } = await sandbox();
		await upload([jpegItem()]);
		const refused = store.get(CREDENTIAL_ID).accessToken;
		emulator.inject({ kind: 'errcode', errcode: 40001 });
		emulator.resetCounters();
		const { success } = await upload([jpegItem()]);

		expect(success[0].json.errcode).toBe(0);
		expect(emulator.counters.tokenRequests.stable).toBe(2);
		expect(emulator.counters.forceRefreshes).toBe(1);
		expect(store.get(CREDENTIAL_ID).accessToken).not.toBe(refused);

		emulator.expireAllTokens();
		emulator.resetCounters();
		await upload([jpegItem()]);
		expect(emulator.counters.forceRefreshes).toBe(0);
	});

	test('executions running at once in one n8n process share one token request', async () => {
		const { emulator, upload } = await sandbox();
		const runs = await Promise.all([1, 2, 3].map(() => upload(jpegItems(4), { nodeOptions: { concurrency: 4 } })));

		expect(runs.flatMap((run) => run.success).map((item) => item.json.errcode)).toEqual(Array(12).fill(0));
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 1 });
	});

	test('executions that all meet an expired token at once refresh it with one request', async () => {
		const { emulator, upload } = await sandbox();
		await upload([jpegItem()]);
		emulator.expireAllTokens();
		emulator.resetCounters();
		const runs = await Promise.all([1, 2, 3].map(() => upload(jpegItems(4), { nodeOptions: { concurrency: 4 } })));

		expect(runs.flatMap((run) => run.success).map((item) => item.json.errcode)).toEqual(Array(12).fill(0));
		expect(emulator.counters.tokenRequests.stable).toBe(1);
		expect(emulator.counters.tokensMinted.stable).toBe(1);
	});

	test('a refused token fetch is not remembered: the next execution asks again', async () => {
		const { emulator, store, upload } = await sandbox();
		emulator.blockCallerIp();
		const blocked = await upload([jpegItem()], { onError: 'continueErrorOutput' });
		emulator.unblockCallerIp();
		const allowed = await upload([jpegItem()], { onError: 'continueErrorOutput' });

		expect((blocked.errorOutput[0].json.error as { errcode: number }).errcode).toBe(40164);
		expect(allowed.success[0].json.errcode).toBe(0);
		expect(emulator.counters.tokenRequests.stable).toBe(2);
		expect(store.get(CREDENTIAL_ID).accessToken).toBe(emulator.mintedTokens()[0]);
	});

	test('a token refused in this process is not handed to another credential of the same AppID', async () => {
		const { emulator, store, upload } = await sandbox();
		await upload([jpegItem()]);
		const first = store.get(CREDENTIAL_ID).accessToken;
		emulator.expireAllTokens();
		await upload([jpegItem()]);
		const refreshed = store.get(CREDENTIAL_ID).accessToken;
		store.put('second-credential', { ...store.get(CREDENTIAL_ID), accessToken: '' });
		emulator.resetCounters();
		const second = await runWorkflow({
			store,
			credentialId: 'second-credential',
			items: [jpegItem()],
			parameters: { resource: 'account', operation: 'uploadAvatar', kfAccount: 'agent1@sandbox_oa', binaryPropertyName: 'data' },
		});

		expect(refreshed).not.toBe(first);
		expect(second.success[0].json.errcode).toBe(0);
		expect(store.get('second-credential').accessToken).toBe(refreshed);
		expect(emulator.counters.apiCalls['/customservice/kfaccount/uploadheadimg']).toBe(1);
	});

	test('the classic endpoint is used when the credential says so', async () => {
		const { emulator, upload } = await sandbox({}, { tokenEndpoint: 'classic' });
		const { success } = await upload(jpegItems(4), { nodeOptions: { concurrency: 4 } });

		expect(success.every((item) => item.json.errcode === 0)).toBe(true);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 1, stable: 0 });
	});

	test('a refused token fetch is asked once per execution, and every item fails with its fix', async () => {
		const { emulator, upload } = await sandbox({}, { appSecret: 'wrong-secret-0123456789' });
		const { errorOutput, success } = await upload(jpegItems(5), {
			onError: 'continueErrorOutput',
			nodeOptions: { concurrency: 3 },
		});

		expect(success).toHaveLength(0);
		expect(errorOutput).toHaveLength(5);
		expect(errorOutput.map((item) => (item.json.error as { errcode: number }).errcode)).toEqual(Array(5).fill(40125));
		expect(String(errorOutput[0].json.message)).toContain('AppSecret');
		expect(emulator.counters.tokenRequests.stable).toBe(1);
	});

	test('a trailing slash in the Base URL is harmless', async () => {
		const { emulator, store, upload } = await sandbox();
		store.put(CREDENTIAL_ID, { ...store.get(CREDENTIAL_ID), baseUrl: `${emulator.baseUrl}/` });
		const { success } = await upload([jpegItem()]);

		expect(success[0].json.errcode).toBe(0);
	});
});
