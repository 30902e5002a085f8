import { CREDENTIAL_ID } from './engine/runWorkflow';
import { jpegItem, jpegItems, sandboxPerTest } from './engine/sandbox';

/** Everything a run shows a person: output items, error messages and descriptions, and log lines. */
class Exposure {
	readonly texts: string[] = [];

	private restore: Array<() => void> = [];

	captureLogs(): void {
		for (const stream of [process.stdout, process.stderr]) {
			const write = stream.write.bind(stream);
			stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
				this.texts.push(String(chunk));
				return write(chunk, ...rest);
			}) as typeof stream.write;
			this.restore.push(() => (stream.write = write));
		}
		for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
			const original = console[level];
			console[level] = (...args: unknown[]) => {
				this.texts.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
			};
			this.restore.push(() => (console[level] = original));
		}
	}

	add(value: unknown): void {
		this.texts.push(JSON.stringify(value) ?? "");
		if (value instanceof Error) this.texts.push(value.message, String((value as { description?: unknown }).description));
	}

	release(): void {
		for (const undo of this.restore.splice(0)) undo();
	}
}

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

		const secrets = [started.appSecret, ...started.mintedTokens()];
		expect(started.mintedTokens().length).toBeGreaterThanOrEqual(3);
		const leaks = exposure.texts.filter((text) => secrets.some((secret) => text.includes(secret)));
		expect(leaks).toEqual([]);
		expect(exposure.texts.join('\n')).not.toMatch(/access_token=(?!\*\*\*)[^&\s"]+/);
	} finally {
		exposure.release();
	}
});
