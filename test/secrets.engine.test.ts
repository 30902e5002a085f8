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
