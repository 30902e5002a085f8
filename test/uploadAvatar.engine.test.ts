import { createHash } from 'node:crypto';

import { jpegBytes, pngBytes } from './fixtures/images';
import { ACCOUNT, jpegItem, jpegItems, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

describe('Upload Avatar in the n8n engine', () => {
	test('uploads the image and outputs errcode 0 with account, file name, size and type, paired to its input', async () => {
		const { emulator, upload } = await sandbox();
		const bytes = jpegBytes(5000);
		const { success, run } = await upload([
			{ json: { name: 'Ada' }, binary: { data: { bytes, fileName: 'ada.jpg', mimeType: 'image/jpeg' } } },
		]);

		expect(run.data.resultData.error).toBeUndefined();
		expect(success).toEqual([
			{
				json: { errcode: 0, errmsg: 'ok', kfAccount: ACCOUNT, fileName: 'ada.jpg', fileSize: 5000, mimeType: 'image/jpeg' },
				pairedItem: { item: 0 },
			},
		]);
		expect(emulator.uploads).toHaveLength(1);
		expect(emulator.uploads[0]).toMatchObject({
			kfAccount: ACCOUNT,
			fileName: 'ada.jpg',
			contentType: 'image/jpeg',
			size: 5000,
			sha256: createHash('sha256').update(bytes).digest('hex'),
		});
	});

	test('resolves the account expression per item', async () => {
		const { emulator, upload } = await sandbox();
		const accounts = ['agent1@sandbox_oa', 'agent2@sandbox_oa', 'agent3@sandbox_oa'];
		const { success } = await upload(jpegItems(3, (index) => ({ account: accounts[index] })), {
			parameters: { kfAccount: '={{ $json.account }}' },
		});

		expect(success.map((item) => item.json.kfAccount)).toEqual(accounts);
		expect(emulator.uploads.map((received) => received.kfAccount).sort()).toEqual(accounts);
	});

	test('names the file by its content: a PNG called .jpg goes as .png, a nameless JPEG as avatar.jpg', async () => {
		const { emulator, upload } = await sandbox();
		const { success } = await upload([
			{ binary: { data: { bytes: pngBytes(), fileName: 'logo.jpg', mimeType: 'image/jpeg' } } },
			{ binary: { data: { bytes: jpegBytes(), mimeType: 'application/octet-stream' } } },
		]);

		expect(success.map((item) => [item.json.fileName, item.json.mimeType])).toEqual([
			['logo.png', 'image/png'],
			['avatar.jpg', 'image/jpeg'],
		]);
		expect(emulator.uploads.map((received) => [received.fileName, received.contentType]).sort()).toEqual([
			['avatar.jpg', 'image/jpeg'],
			['logo.png', 'image/png'],
		]);
	});

	test('sends an ASCII file name on the wire (WeChat documents no other) and keeps the real one in the output', async () => {
		const { emulator, upload } = await sandbox();
		const { success } = await upload([jpegItem('客服 头像.jpg'), jpegItem('ada lovelace.jpg'), jpegItem('Zoë "Z" 2.jpg')]);

		expect(success.map((item) => item.json.fileName)).toEqual(['客服 头像.jpg', 'ada lovelace.jpg', 'Zoë "Z" 2.jpg']);
		expect(emulator.uploads.map((received) => received.fileName)).toEqual(['avatar.jpg', 'ada lovelace.jpg', 'Zo_ _Z_ 2.jpg']);
		expect(emulator.uploads.every((received) => received.fileNameRawAscii)).toBe(true);
	});

	test('uploads items in parallel at the set concurrency and keeps output order and pairing', async () => {
		const { emulator, upload } = await sandbox();
		await upload([jpegItem()]); // stores a token, so the batch below does not start with a lone token fetch
		emulator.uploads.length = 0;
		emulator.inject({ kind: 'delay', ms: 300 });
		const { success } = await upload(jpegItems(8, (index) => ({ index })), { nodeOptions: { concurrency: 4 } });

		expect(success.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 8 }, (_, index) => ({ item: index })),
		);
		expect(success.map((item) => item.json.fileName)).toEqual(
			Array.from({ length: 8 }, (_, index) => `photo-${index}.jpg`),
		);
		expect(emulator.uploads).toHaveLength(8);
		// The delayed first item did not hold back the other seven: they were sent while it waited.
		const delayedUpload = emulator.uploads.find((received) => received.fileName === 'photo-0.jpg');
		expect(emulator.uploads.indexOf(delayedUpload!)).toBeGreaterThan(0);
	});
});
