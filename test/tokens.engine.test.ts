import { tokenOrigin } from '../nodes/WeChatCustomerService/transport/accessToken';
import { startWeChatEmulator } from './emulator';
import { Exposure } from './engine/exposure';
import { CREDENTIAL_ID, runWorkflow } from './engine/runWorkflow';
import { jpegItem, jpegItems, sandboxPerTest } from './engine/sandbox';

const UPLOAD_PATH = '/customservice/kfaccount/uploadheadimg';

/** A stable token asked for directly, as another system sharing the AppID would. */
async function stableToken(emulator: { baseUrl: string; appId: string; appSecret: string }) {
	const response = await fetch(`${emulator.baseUrl}/cgi-bin/stable_token`, {
		method: 'POST',
		body: JSON.stringify({ grant_type: 'client_credential', appid: emulator.appId, secret: emulator.appSecret }),
	});
	return (await response.json()) as { access_token: string; expires_in: number };
}

function errcodesOf(items: Array<{ json: Record<string, unknown> }>): unknown[] {
	return items.map((item) => (item.json.error as { errcode?: unknown } | undefined)?.errcode);
}

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
		const { emulator, store, upload } = await sandbox();
		await upload([jpegItem()]);
		emulator.resetCounters();
		const savesBefore = store.saved.length;
		const { success } = await upload(jpegItems(5), { nodeOptions: { concurrency: 3 } });

		expect(success.every((item) => item.json.errcode === 0)).toBe(true);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		// Not even the credential's preAuthentication ran: the stored token, its origin and expiry were read back as stored.
		expect(store.saved).toHaveLength(savesBefore);
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
			parameters: { resource: 'avatar', operation: 'upload', kfAccount: 'agent1@sandbox_oa', binaryPropertyName: 'data' },
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

	test('41001 (no token reached WeChat) fails the item with the proxy fix, and fetches no token at all', async () => {
		const { emulator, upload } = await sandbox();
		await upload([jpegItem()]);
		emulator.resetCounters();
		emulator.inject({ kind: 'errcode', errcode: 41001, times: 3 });
		const { errorOutput } = await upload(jpegItems(3), { onError: 'continueErrorOutput' });

		expect(errcodesOf(errorOutput)).toEqual([41001, 41001, 41001]);
		expect(errorOutput[0].json.error).toMatchObject({ category: 'token missing' });
		expect(String(errorOutput[0].json.message)).toContain('pass the query string on unchanged');
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		expect(emulator.counters.forceRefreshes).toBe(0);
		expect(emulator.counters.apiCalls[UPLOAD_PATH]).toBe(3);
	});

	test('a stored token is not sent to another Base URL than the one it was fetched from', async () => {
		const { emulator: first, store, upload } = await sandbox();
		await upload([jpegItem()]);
		const firstToken = store.get(CREDENTIAL_ID).accessToken;
		const second = await startWeChatEmulator({ accounts: ['agent1@sandbox_oa'] });
		try {
			store.put(CREDENTIAL_ID, { ...store.get(CREDENTIAL_ID), baseUrl: second.baseUrl });
			const { success } = await upload(jpegItems(3), { nodeOptions: { concurrency: 3 } });

			expect(success.map((item) => item.json.errcode)).toEqual([0, 0, 0]);
			expect(first.mintedTokens()).toContain(firstToken);
			// Not one request carried the first host's token: no 40001 round trip on the second host.
			expect(second.counters.apiCalls[UPLOAD_PATH]).toBe(3);
			expect(second.uploads.map((received) => received.accessToken)).toEqual(Array(3).fill(second.mintedTokens()[0]));
			expect(store.get(CREDENTIAL_ID).accessTokenOrigin).toContain(second.baseUrl);
		} finally {
			await second.close();
		}
	});

	test('a stored token whose origin is unknown (stored by an older version) is replaced before use', async () => {
		const { emulator, store, upload } = await sandbox();
		const elsewhere = await startWeChatEmulator({ accounts: ['agent1@sandbox_oa'] });
		try {
			// A token valid for another Official Account, stored without what it was fetched for.
			const foreign = await stableToken(elsewhere);
			store.put(CREDENTIAL_ID, { ...store.get(CREDENTIAL_ID), accessToken: foreign.access_token });
			const { success } = await upload(jpegItems(2));

			expect(success.map((item) => item.json.errcode)).toEqual([0, 0]);
			expect(emulator.counters.tokenRequests.stable).toBe(1);
			expect(emulator.counters.apiCalls[UPLOAD_PATH]).toBe(2);
			expect(emulator.uploads.map((received) => received.accessToken)).not.toContain(foreign.access_token);
		} finally {
			await elsewhere.close();
		}
	});

	test('a token within 5 minutes of the expiry WeChat gave is renewed once for the batch, never sent', async () => {
		const { emulator, store, upload } = await sandbox();
		const dying = await stableToken(emulator);
		const credential = store.get(CREDENTIAL_ID);
		// WeChat's clock and the stored expiry agree: 2 minutes left.
		emulator.advanceClock(dying.expires_in - 120);
		store.put(CREDENTIAL_ID, { ...credential, accessToken: dying.access_token, accessTokenOrigin: tokenOrigin(credential), accessTokenExpiresAt: Date.now() + 120_000 });
		emulator.resetCounters();
		const { success } = await upload(jpegItems(6), { nodeOptions: { concurrency: 3 } });

		expect(success.map((item) => item.json.errcode)).toEqual(Array(6).fill(0));
		expect(emulator.counters.tokenRequests.stable).toBe(1);
		expect(emulator.uploads.map((received) => received.accessToken)).not.toContain(dying.access_token);
		expect(Number(store.get(CREDENTIAL_ID).accessTokenExpiresAt)).toBeGreaterThan(Date.now() + 5 * 60_000);
	});

	test('a token endpoint refusing the AppSecret with 40001 costs one token request per execution and says to fix the AppSecret', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'errcode', errcode: 40001, path: '/cgi-bin/stable_token', times: 20 });
		const { errorOutput } = await upload(jpegItems(5), { onError: 'continueErrorOutput', nodeOptions: { concurrency: 3 } });

		expect(errcodesOf(errorOutput)).toEqual(Array(5).fill(40001));
		expect(errorOutput[0].json.error).toMatchObject({ category: 'credential' });
		expect(String(errorOutput[0].json.message)).toMatch(/AppSecret is wrong.*Fix: Copy \(or reset\) the AppSecret/);
		expect(String(errorOutput[0].json.message)).not.toContain('token the workflow gave');
		expect(emulator.counters.tokenRequests.stable).toBe(1);
		expect(emulator.counters.apiCalls[UPLOAD_PATH]).toBeUndefined();
	});

	test('items waiting for a token wait for the token fetch, not for the first item\'s whole upload', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'delay', ms: 1500 });
		const { success } = await upload(
			[0, 1, 2].map((index) => jpegItem(`photo-${index}.jpg`)),
			{ nodeOptions: { concurrency: 3 } },
		);

		expect(success.map((item) => item.json.errcode)).toEqual([0, 0, 0]);
		expect(emulator.counters.tokenRequests.stable).toBe(1);
		// The first item's upload is held 1.5 s; the others went on as soon as the token was there.
		expect(emulator.uploads.map((received) => received.fileName)).toEqual(['photo-1.jpg', 'photo-2.jpg', 'photo-0.jpg']);
	});

	test('force_refresh happens at most once per 30 s for an AppID, and says so in the log', async () => {
		const exposure = new Exposure();
		exposure.captureLogs();
		try {
			// An AppID of its own: the 30 s hold is per AppID for the whole process, and other tests force refreshes too.
			const { emulator, upload } = await sandbox({ appId: 'wx00000000000000f1' });
			await upload([jpegItem()]);
			emulator.inject({ kind: 'errcode', errcode: 40001 });
			emulator.resetCounters();
			const forced = await upload([jpegItem()]);
			emulator.inject({ kind: 'errcode', errcode: 40001, times: 2 });
			const soonAfter = await upload([jpegItem()], { onError: 'continueErrorOutput' });

			expect(forced.success[0].json.errcode).toBe(0);
			expect(errcodesOf(soonAfter.errorOutput)).toEqual([40001]);
			expect(emulator.counters.forceRefreshes).toBe(1);
			expect(exposure.logLines.filter((line) => line.includes('force_refresh'))).toHaveLength(1);
		} finally {
			exposure.release();
		}
	});

	test('a failed token fetch answers every item that waited for it; they do not each fetch in turn', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'reset', path: '/cgi-bin/stable_token', times: 3 });
		const { errorOutput } = await upload(jpegItems(8), { onError: 'continueErrorOutput', nodeOptions: { concurrency: 8, maxRetries: 0 } });

		expect(errorOutput).toHaveLength(8);
		expect(errorOutput.every((item) => (item.json.error as { category: string }).category === 'network')).toBe(true);
		expect(emulator.counters.tokenRequests.stable).toBe(1);
	});

	test('after a failed token fetch, items retry on their backoff and share the next fetch', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'reset', path: '/cgi-bin/stable_token', times: 2 });
		const { success } = await upload(jpegItems(8), { nodeOptions: { concurrency: 8, maxRetries: 3 } });

		expect(success.map((item) => item.json.errcode)).toEqual(Array(8).fill(0));
		expect(emulator.counters.tokenRequests.stable).toBe(3);
	});

	test('the classic endpoint never uses force_refresh', async () => {
		const { emulator, upload } = await sandbox({}, { tokenEndpoint: 'classic' });
		await upload([jpegItem()]);
		emulator.inject({ kind: 'errcode', errcode: 40001 });
		emulator.resetCounters();
		const { success } = await upload([jpegItem()]);

		expect(success[0].json.errcode).toBe(0);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 1, stable: 0 });
		expect(emulator.counters.forceRefreshes).toBe(0);
	});

	test('after the credential is switched to another Official Account, the first account\'s token is never sent', async () => {
		const other = { appId: 'wx00000000000000b2', appSecret: 'second-official-account-secret', officialAccountId: 'second_oa', accounts: ['agent1@second_oa'] };
		const { emulator, store, upload } = await sandbox({ apps: [other] });
		await upload([jpegItem()]);
		const firstToken = store.get(CREDENTIAL_ID).accessToken;
		store.put(CREDENTIAL_ID, { ...store.get(CREDENTIAL_ID), appId: other.appId, appSecret: other.appSecret });
		const { success } = await upload(jpegItems(3), { parameters: { kfAccount: 'agent1@second_oa' }, nodeOptions: { concurrency: 3 } });

		expect(success.map((item) => item.json.errcode)).toEqual([0, 0, 0]);
		expect(emulator.mintedTokens(emulator.appId)).toContain(firstToken);
		expect(emulator.counters.tokensMintedByAppId[other.appId].stable).toBe(1);
		// Every upload after the switch acted on the second account, with its own token.
		expect(emulator.uploads.slice(1).map((received) => [received.appId, received.accessToken])).toEqual(
			Array(3).fill([other.appId, emulator.mintedTokens(other.appId)[0]]),
		);
	});
});
