import { Exposure } from './engine/exposure';
import { CREDENTIAL_ID } from './engine/runWorkflow';
import { jpegItem, jpegItems, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

test('neither the AppSecret nor any minted token appears in outputs, errors or logs', async () => {
	const exposure = new Exposure();
	exposure.captureLogs();
	try {
		const { emulator: started, store, upload } = await sandbox({ accounts: ['agent1@sandbox_oa'] });
		const runs = [];
		runs.push(await upload(jpegItems(3), { onError: 'continueErrorOutput', nodeOptions: { concurrency: 3 } }));
		started.inject({ kind: 'errcode', errcode: 40001 });
		started.inject({ kind: 'busy' });
		runs.push(await upload(jpegItems(2), { onError: 'continueErrorOutput' }));
		started.inject({ kind: 'errcode', errcode: 40001, times: 3 });
		runs.push(await upload([jpegItem()], { onError: 'continueRegularOutput' }));
		started.expireAllTokens();
		started.inject({ kind: 'unquotedErrcode', path: '/customservice/kfaccount/uploadheadimg' });
		runs.push(await upload([jpegItem()], { onError: 'continueErrorOutput' }));
		// A proxy's error page quoting the request URL, token and all: only redaction keeps it out.
		started.inject({ kind: 'proxyErrorEchoingRequest', times: 3 });
		runs.push(await upload([jpegItem()], { onError: 'continueErrorOutput', nodeOptions: { maxRetries: 1 } }));
		runs.push(await upload([jpegItem()], { nodeOptions: { maxRetries: 0 } }));
		started.inject({ kind: 'hang' });
		runs.push(await upload([jpegItem()], { nodeOptions: { timeoutMs: 200, maxRetries: 0 } }));
		runs.push(await upload([jpegItem('x.jpg', { a: 1 })], { parameters: { kfAccount: 'ghost@sandbox_oa' } }));
		store.put(CREDENTIAL_ID, { ...store.get(CREDENTIAL_ID), tokenEndpoint: 'classic', accessToken: '' });
		runs.push(await upload([jpegItem()], { onError: 'continueErrorOutput' }));
		store.put(CREDENTIAL_ID, { ...store.get(CREDENTIAL_ID), appSecret: `${started.appSecret}-wrong`, accessToken: '' });
		runs.push(await upload([jpegItem()], { onError: 'continueErrorOutput' }));
		runs.push(await upload([jpegItem()]));
		await started.close();
		store.put(CREDENTIAL_ID, { ...store.get(CREDENTIAL_ID), appSecret: started.appSecret, accessToken: '' });
		runs.push(await upload([jpegItem()], { onError: 'continueErrorOutput', nodeOptions: { maxRetries: 0 } }));

		for (const run of runs) {
			exposure.add(run.success);
			exposure.add(run.errorOutput);
			exposure.add(run.error);
		}
		const failures = runs.flatMap((run) => run.errorOutput).length + runs.filter((run) => run.error).length;
		expect(failures).toBeGreaterThanOrEqual(6);

		expect(started.mintedTokens().length).toBeGreaterThanOrEqual(3);
		expect(exposure.leaks([started.appSecret, `${started.appSecret}-wrong`, ...started.mintedTokens()])).toEqual([]);
		expect(exposure.texts.join('\n')).not.toMatch(/access_token=(?!\*\*\*)[^&\s"]+/);
	} finally {
		exposure.release();
	}
});

describe('secrets in what WeChat or a proxy sends back', () => {
	const UPLOAD_PATH = '/customservice/kfaccount/uploadheadimg';

	test('a proxy error quoting the upload URL keeps its words but not the access token, in every On Error mode', async () => {
		const { emulator, upload } = await sandbox();
		await upload([jpegItem()]);
		emulator.inject({ kind: 'proxyErrorEchoingRequest', times: 8 });
		const routed = await upload([jpegItem()], { onError: 'continueErrorOutput', nodeOptions: { maxRetries: 0 } });
		const stopped = await upload([jpegItem()], { nodeOptions: { maxRetries: 0 } });

		const error = routed.errorOutput[0].json.error as { errmsg: string; httpStatus: number };
		expect(error.httpStatus).toBe(502);
		// The proxy's text arrived and was kept, with the token's value taken out.
		expect(error.errmsg).toContain(`upstream error for POST ${UPLOAD_PATH}?`);
		expect(error.errmsg).toContain('access_token=***');
		expect(String(stopped.error?.description)).toContain('access_token=***');
		expect(emulator.counters.apiCalls[UPLOAD_PATH]).toBeGreaterThanOrEqual(3);
	});

	test("a proxy error quoting the token request body is not copied: the AppSecret in it never shows", async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'proxyErrorEchoingRequest', path: '/cgi-bin/stable_token', times: 8 });
		const { errorOutput } = await upload([jpegItem()], { onError: 'continueErrorOutput', nodeOptions: { maxRetries: 0 } });

		expect(errorOutput[0].json.error).toMatchObject({ httpStatus: 502, category: 'network' });
		expect(JSON.stringify(errorOutput[0].json)).not.toContain('upstream error');
		expect(emulator.counters.tokenRequests.stable).toBeGreaterThanOrEqual(1);
	});

	test('a token answer cut off inside the token is reported as unreadable, without a byte of it', async () => {
		const { emulator, upload } = await sandbox();
		emulator.inject({ kind: 'truncatedTokenAnswer', path: '/cgi-bin/stable_token' });
		const routed = await upload([jpegItem()], { onError: 'continueErrorOutput' });
		emulator.inject({ kind: 'truncatedTokenAnswer', path: '/cgi-bin/stable_token' });
		const stopped = await upload([jpegItem()]);

		expect(routed.errorOutput[0].json.error).toMatchObject({ errcode: null, category: 'other' });
		expect((routed.errorOutput[0].json.error as { errmsg: string }).errmsg).toMatch(/^the token endpoint answered .* \(not shown: they may hold a token\)$/);
		expect(stopped.error?.message).toContain('The token endpoint answered with something that is not the JSON WeChat documents');
		expect(emulator.mintedTokens().length).toBeGreaterThanOrEqual(1);
		for (const token of emulator.mintedTokens()) {
			expect(JSON.stringify([routed, stopped.error?.message, stopped.error?.description])).not.toContain(token.slice(0, 12));
		}
	});
});
