import type { INodeExecutionData } from 'n8n-workflow';

import type { OnError, RunResult } from './engine/runWorkflow';
import { jpegItems, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

const MODES: OnError[] = ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'];
const ITEMS = 12;

type Sandbox = Awaited<ReturnType<ReturnType<typeof sandboxPerTest>>>;

interface Fault {
	name: string;
	/** Whether the node can recover: retries or a token refresh make every item succeed. */
	recoverable: boolean;
	prepare: (sandbox: Sandbox) => Promise<void> | void;
	nodeOptions?: Record<string, unknown>;
}

const FAULTS: Fault[] = [
	{ name: 'a burst of errcode -1', recoverable: true, prepare: ({ emulator }) => emulator.inject({ kind: 'busy', times: 6 }) },
	{
		name: 'tokens expiring mid-batch',
		recoverable: true,
		prepare: ({ emulator }) => emulator.inject({ kind: 'expireTokens', after: 4 }),
	},
	{ name: 'HTML 502', recoverable: true, prepare: ({ emulator }) => emulator.inject({ kind: 'html502', times: 3 }) },
	{ name: 'a connection reset', recoverable: true, prepare: ({ emulator }) => emulator.inject({ kind: 'reset', times: 3 }) },
	{ name: 'a truncated JSON body', recoverable: false, prepare: ({ emulator }) => emulator.inject({ kind: 'truncatedJson', after: 5 }) },
	{
		name: 'an answer that never comes',
		recoverable: false,
		prepare: ({ emulator }) => emulator.inject({ kind: 'hang', after: 5 }),
		nodeOptions: { timeoutMs: 250, maxRetries: 0 },
	},
];

function errcodeOf(item: INodeExecutionData): unknown {
	return item.json.error ? (item.json.error as { errcode: unknown }).errcode : item.json.errcode;
}

/** Items in = items out, each paired once; nothing is on the success path unless WeChat said errcode 0. */
function expectNothingLost(result: RunResult, mode: OnError, recoverable: boolean) {
	const succeeded = result.success.filter((item) => !item.json.error);
	const failed = [...result.success.filter((item) => item.json.error), ...result.errorOutput];
	expect(succeeded.every((item) => item.json.errcode === 0)).toBe(true);
	if (mode === 'stopWorkflow') {
		expect(result.run.status).toBe(recoverable ? 'success' : 'error');
		if (recoverable) expect(succeeded).toHaveLength(ITEMS);
		else expect(result.error?.message).toMatch(/^Item \d+/);
		return;
	}
	expect(succeeded.length + failed.length).toBe(ITEMS);
	const paired = [...result.success, ...result.errorOutput].map((item) => (item.pairedItem as { item: number }).item);
	expect(paired.sort((a, b) => a - b)).toEqual(Array.from({ length: ITEMS }, (_, index) => index));
	expect(failed).toHaveLength(recoverable ? 0 : 1);
	if (mode === 'continueErrorOutput') expect(result.success.every((item) => !item.json.error)).toBe(true);
	for (const item of failed) expect(errcodeOf(item)).not.toBe(0);
}

describe.each(MODES)('faults with On Error = %s, concurrency 8', (mode) => {
	test.each(FAULTS.map((fault) => [fault.name, fault] as const))('%s', async (_name, fault) => {
		const started = await sandbox();
		await started.upload(jpegItems(1)); // a stored token, so the faults meet uploads rather than the first fetch
		started.emulator.resetCounters();
		await fault.prepare(started);
		const result = await started.upload(jpegItems(ITEMS), {
			onError: mode,
			nodeOptions: { concurrency: 8, ...fault.nodeOptions },
		});

		expectNothingLost(result, mode, fault.recoverable);
		expect(started.emulator.counters.tokensMinted.stable).toBe(fault.name === 'tokens expiring mid-batch' ? 1 : 0);
	});

	test('two executions at once on one credential share one token', async () => {
		const started = await sandbox();
		const [first, second] = await Promise.all([
			started.upload(jpegItems(ITEMS), { onError: mode, nodeOptions: { concurrency: 8 } }),
			started.upload(jpegItems(ITEMS), { onError: mode, nodeOptions: { concurrency: 8 } }),
		]);

		expectNothingLost(first, mode, true);
		expectNothingLost(second, mode, true);
		expect(started.emulator.counters.tokensMinted.stable).toBe(1);
		expect(started.emulator.counters.uploads).toBe(2 * ITEMS);
	});
});
