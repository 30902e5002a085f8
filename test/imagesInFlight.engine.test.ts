import { ByteBudget } from '../nodes/WeChatCustomerService/helpers/byteBudget';
import { jpegItem, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

const MB = 1024 * 1024;
const items = (count: number, size: number) => Array.from({ length: count }, (_, index) => jpegItem(`agent-${index}.jpg`, {}, size));

describe('images in flight are bounded by their bytes, not only by Concurrency', () => {
	test.each([
		{ label: '5 MB', size: 5 * MB, inFlight: 1 },
		{ label: '3 MB', size: 3 * MB, inFlight: 2 },
		{ label: '150 KB', size: 150 * 1024, inFlight: 8 },
	])('$label images at Concurrency 8: $inFlight in flight at once', async ({ size, inFlight }) => {
		const { emulator, upload } = await sandbox();
		emulator.setLatency({ upload: { ms: 100 } });
		const { success } = await upload(items(8, size), { nodeOptions: { concurrency: 8 } });

		expect(success).toHaveLength(8);
		expect(emulator.counters.uploadsInFlightPeak).toBe(inFlight);
	});
});

describe('ByteBudget', () => {
	test('lets through what fits, holds the rest until bytes come back, and never starves an item larger than the budget', async () => {
		const budget = new ByteBudget(10);
		const first = await budget.take(6);
		let secondTaken = false;
		const second = budget.take(6).then((release) => {
			secondTaken = true;
			return release;
		});
		await new Promise((resolve) => setImmediate(resolve));
		expect(secondTaken).toBe(false);
		first();
		(await second)();
		const huge = await budget.take(50);
		huge();
		huge();
		expect(await Promise.race([budget.take(10).then(() => 'taken'), new Promise((resolve) => setImmediate(() => resolve('waiting')))])).toBe('taken');
	});
});
