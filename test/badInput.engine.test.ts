import { gifBytes, jpegBytes, pngBytes, webpBytes } from './fixtures/images';
import type { InputItem } from './engine/runWorkflow';
import { sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

/** A seeded generator, so the random corpus is the same on every run. */
function seededBytes(seed: number, length: number): Buffer {
	const bytes = Buffer.alloc(length);
	let state = seed;
	for (let index = 0; index < length; index++) {
		state = (state * 1103515245 + 12345) & 0x7fffffff;
		bytes[index] = state >> 16;
	}
	return bytes;
}

interface Case {
	name: string;
	item: InputItem;
	/** The account the item asks for: anything the expression yields. */
	account: unknown;
	uploads: boolean;
}

const ok = 'agent1@sandbox_oa';
const file = (bytes: Buffer, fileName?: string, mimeType?: string): InputItem['binary'] => ({ data: { bytes, fileName, mimeType } });

const corpus: Case[] = [
	...[1, 2, 3, 4, 5].map((seed) => ({
		name: `random bytes #${seed}`,
		item: { binary: file(seededBytes(seed, 64 + seed * 97), 'random.jpg', 'image/jpeg') },
		account: ok,
		uploads: false,
	})),
	...[1, 2].map((length) => ({ name: `JPEG header cut at ${length} bytes`, item: { binary: file(jpegBytes().subarray(0, length), 'cut.jpg') }, account: ok, uploads: false })),
	...[1, 4, 7].map((length) => ({ name: `PNG header cut at ${length} bytes`, item: { binary: file(pngBytes().subarray(0, length), 'cut.png') }, account: ok, uploads: false })),
	{ name: 'a zero-byte file', item: { binary: file(Buffer.alloc(0), 'zero.jpg') }, account: ok, uploads: false },
	{ name: 'a GIF', item: { binary: file(gifBytes(), 'anim.gif', 'image/gif') }, account: ok, uploads: false },
	{ name: 'a WebP', item: { binary: file(webpBytes(), 'photo.webp', 'image/webp') }, account: ok, uploads: false },
	{ name: 'a PNG renamed .jpg', item: { binary: file(pngBytes(), 'logo.jpg', 'image/jpeg') }, account: ok, uploads: true },
	{ name: 'a JPEG declared as octet-stream', item: { binary: file(jpegBytes(), 'blob.bin', 'application/octet-stream') }, account: ok, uploads: true },
	{ name: 'a Chinese file name', item: { binary: file(jpegBytes(), '客服头像.jpg') }, account: ok, uploads: true },
	{ name: 'a file name with spaces', item: { binary: file(jpegBytes(), 'my new avatar.jpg') }, account: ok, uploads: true },
	...['a&b@sandbox_oa', 'a#b@sandbox_oa', 'a?b=1@sandbox_oa', 'agent 1@sandbox_oa', 'agent1@sandbox oa', 'agent1\n@sandbox_oa', `${'x'.repeat(200)}`, '', '@sandbox_oa', 'agent1@', 'agent1@sandbox_oa&kf_account=agent2@sandbox_oa'].map(
		(account) => ({ name: `kf_account ${JSON.stringify(account).slice(0, 40)}`, item: { binary: file(jpegBytes(), 'a.jpg') }, account, uploads: false }),
	),
	{ name: 'an expression that yields a number', item: { binary: file(jpegBytes(), 'a.jpg') }, account: 12345, uploads: false },
	{ name: 'an expression that yields nothing', item: { binary: file(jpegBytes(), 'a.jpg') }, account: null, uploads: false },
];

test('a corpus of bad input gives one clear error item or a correct upload each, and never a malformed request', async () => {
	const started = await sandbox();
	const items = corpus.map((entry) => ({ ...entry.item, json: { account: entry.account as never } }));
	const { success, errorOutput, run } = await started.upload(items, {
		onError: 'continueErrorOutput',
		parameters: { kfAccount: '={{ $json.account }}' },
		nodeOptions: { concurrency: 4 },
	});

	expect(run.status).toBe('success');
	expect(success.length + errorOutput.length).toBe(corpus.length);
	const outcome = new Map<number, 'uploaded' | 'refused'>();
	for (const item of success) outcome.set((item.pairedItem as { item: number }).item, 'uploaded');
	for (const item of errorOutput) outcome.set((item.pairedItem as { item: number }).item, 'refused');
	expect(corpus.map((entry, index) => [entry.name, outcome.get(index)])).toEqual(
		corpus.map((entry) => [entry.name, entry.uploads ? 'uploaded' : 'refused']),
	);
	for (const item of errorOutput) {
		const error = item.json.error as { field?: string; parameter?: string; errcode: unknown; fix: string };
		expect(error.errcode).toBeNull();
		expect(['kfAccount', 'binaryPropertyName']).toContain(error.parameter);
		expect(['Customer Service Account', 'Binary Property']).toContain(error.field);
		expect(error.fix.length).toBeGreaterThan(20);
		expect(String(item.json.message)).toMatch(/^Item \d+/);
	}
	// Only the good items reached WeChat, each with exactly the account asked for.
	expect(started.emulator.counters.apiCalls['/customservice/kfaccount/uploadheadimg']).toBe(corpus.filter((entry) => entry.uploads).length);
	expect(started.emulator.uploads.every((received) => received.kfAccount === ok)).toBe(true);
});
