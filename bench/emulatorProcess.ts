import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

interface Counters {
	tokenRequests: { classic: number; stable: number };
	tokensMinted: { classic: number; stable: number };
	uploads: number;
}

/**
 * The emulator in a process of its own, so that the memory and CPU the benchmark reports are n8n's and the
 * node's, not the fake WeChat's.
 */
export async function startEmulatorProcess(accounts: string[]) {
	const child = spawn(process.execPath, [join(__dirname, '..', 'test', 'emulator', 'cli.js'), '--accounts', accounts.join(',')], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
	const { baseUrl, appId, appSecret } = JSON.parse(line) as { baseUrl: string; appId: string; appSecret: string };
	const control = async (path: string, method = 'GET', body?: unknown) =>
		(await (await fetch(`${baseUrl}/__emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as {
			counters: Counters;
		};
	return {
		baseUrl,
		appId,
		appSecret,
		counters: async () => (await control('state')).counters,
		resetCounters: async () => {
			await control('reset-counters', 'POST');
		},
		/** How long WeChat takes to answer from now on, per kind of endpoint ({} for at once). */
		setLatency: async (latency: Record<string, { ms: number; jitterMs?: number }>) => {
			await control('latency', 'POST', latency);
		},
		stop: async () => {
			child.kill('SIGTERM');
			await once(child, 'exit');
		},
	};
}
