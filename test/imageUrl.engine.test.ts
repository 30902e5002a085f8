import { createHash } from 'node:crypto';

import { imageDownloadFailureTable } from '../nodes/WeChatCustomerService/errors';
import { jpegBytes } from './fixtures/images';
import { OVERSIZED_BYTES, startPhotoServer, type PhotoServer } from './fixtures/photoServer';
import { ACCOUNT, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

let photos: PhotoServer;
beforeEach(async () => {
	photos = await startPhotoServer();
});
afterEach(async () => {
	await photos.close();
});

const fromUrl = { imageSource: 'url', imageUrl: '={{ $json.url }}' };
const errorOf = (item: { json: Record<string, unknown> }) => item.json.error as Record<string, unknown>;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('Image Source: URL', () => {
	test('downloads the photo through n8n and uploads it, named after the URL, with no binary in the item', async () => {
		const { emulator, upload } = await sandbox();
		const { success } = await upload([{ json: { url: photos.url('/photos/ada.jpg') } }], { parameters: fromUrl });

		expect(success.map((item) => item.json)).toEqual([
			{ errcode: 0, errmsg: 'ok', kfAccount: ACCOUNT, fileName: 'ada.jpg', fileSize: 8 * 1024, mimeType: 'image/jpeg' },
		]);
		expect(emulator.uploads.map((sent) => [sent.fileName, sent.sha256])).toEqual([['ada.jpg', sha256(jpegBytes(8 * 1024))]]);
	});

	test('a URL that goes wrong fails its item with what happened and the fix, naming Image URL; nothing is uploaded', async () => {
		const { emulator, upload } = await sandbox();
		const cases = [
			['an unreachable host', 'http://127.0.0.1:1/photo.jpg', imageDownloadFailureTable.unreachable.meaning],
			['an HTML page', photos.url('/page.html'), 'an HTML page'],
			['a 6 MB image with Content-Length', photos.url('/oversized-declared.jpg'), imageDownloadFailureTable['too large'].meaning],
			['a 6 MB image without Content-Length', photos.url('/oversized-chunked.jpg'), imageDownloadFailureTable['too large'].meaning],
			['a redirect loop', photos.url('/loop'), imageDownloadFailureTable.redirects.meaning],
			['a 404', photos.url('/gone.jpg'), imageDownloadFailureTable['http status'].meaning],
			['a host that stops sending', photos.url('/stalls.jpg'), imageDownloadFailureTable.timeout.meaning],
			['no URL at all', '', 'Image URL is empty.'],
			['an FTP URL', 'ftp://127.0.0.1/photo.jpg', 'Image URL must be http or https, not ftp.'],
		] as const;
		const { success, errorOutput } = await upload(
			cases.map(([name, url]) => ({ json: { name, url } })),
			{ parameters: fromUrl, onError: 'continueErrorOutput', nodeOptions: { concurrency: 4, timeoutMs: 2000 } },
		);

		expect(success).toEqual([]);
		expect(errorOutput.map((item) => [item.json.name, errorOf(item).meaning])).toEqual(
			cases.map(([name, , meaning]) => [name, expect.stringContaining(meaning)]),
		);
		expect(errorOutput.map((item) => item.pairedItem)).toEqual(cases.map((_, item) => ({ item })));
		for (const item of errorOutput) {
			expect(errorOf(item)).toMatchObject({ field: 'Image URL', parameter: 'imageUrl', category: 'bad input', retryable: false });
			expect(String(item.json.message)).toMatch(/^Item \d+ \(agent1@sandbox_oa\), Image URL: /);
		}
		expect(errorOf(errorOutput[5])).toMatchObject({ httpStatus: 404 });
		expect(emulator.counters.uploads).toBe(0);
	});

	test.each([
		['/oversized-declared.jpg', 'Content-Length says 6 MB: refused from the headers', 1024 * 1024],
		['/oversized-chunked.jpg', 'no Content-Length: refused once 5 MB have arrived', OVERSIZED_BYTES],
	])('%s (%s), before the whole file has arrived', async (path, _, sentAtMost) => {
		const { upload } = await sandbox();
		const { errorOutput } = await upload([{ json: { url: photos.url(path) } }], { parameters: fromUrl, onError: 'continueErrorOutput' });

		expect(errorOf(errorOutput[0]).meaning).toBe(imageDownloadFailureTable['too large'].meaning);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(photos.sent(path).clientLeftEarly).toBe(true);
		expect(photos.sent(path).bytes).toBeLessThan(sentAtMost);
	});

	test('with Stop Workflow, a bad URL stops the run with a message naming the item and Image URL', async () => {
		const { upload } = await sandbox();
		const { error } = await upload([{ json: { url: photos.url('/photos/ok.jpg') } }, { json: { url: photos.url('/page.html') } }], {
			parameters: fromUrl,
		});

		expect(error?.message).toMatch(/^Item 2 \(agent1@sandbox_oa\), Image URL: The file is not a JPEG or PNG image: its content looks like an HTML page/);
	});
});
