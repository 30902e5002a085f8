import { MAX_AVATAR_BYTES } from '../nodes/WeChatCustomerService/validation';
import { gifBytes, jpegBytes, webpBytes } from './fixtures/images';
import { jpegItem, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

function errorOf(item: { json: Record<string, unknown> }) {
	return item.json.error as Record<string, unknown>;
}

describe('local checks before any request', () => {
	test('a missing binary property names it and lists the properties the item has', async () => {
		const { emulator, upload } = await sandbox();
		const { errorOutput } = await upload(
			[{ binary: { photo: { bytes: jpegBytes(), fileName: 'a.jpg' }, cv: { bytes: jpegBytes(), fileName: 'b.jpg' } } }],
			{ onError: 'continueErrorOutput' },
		);

		expect(errorOf(errorOutput[0])).toMatchObject({ field: 'Binary Property', parameter: 'binaryPropertyName', errcode: null, category: 'bad input' });
		expect(String(errorOutput[0].json.message)).toMatch(/Item 1 .*no binary property "data".*"photo", "cv"/);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
	});

	test('an image over 5 MB is refused with both sizes, before any token or upload', async () => {
		const { emulator, upload } = await sandbox();
		const { errorOutput } = await upload([jpegItem('big.jpg', {}, MAX_AVATAR_BYTES + 1)], { onError: 'continueErrorOutput' });

		expect(String(errorOutput[0].json.message)).toContain(`${MAX_AVATAR_BYTES + 1} bytes`);
		expect(String(errorOutput[0].json.message)).toContain(`at most 5 MB (${MAX_AVATAR_BYTES} bytes)`);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
		expect(emulator.counters.apiCalls).toEqual({});
	});

	test("the part after @ may be WeChat's 30 characters, not 31, checked before any request", async () => {
		const officialAccountId = 'oa_'.padEnd(30, 'x');
		const { emulator, upload } = await sandbox({ officialAccountId, accounts: [`agent1@${officialAccountId}`] });
		const fits = await upload([jpegItem()], { parameters: { kfAccount: `agent1@${officialAccountId}` } });
		const tooLong = await upload([jpegItem()], { parameters: { kfAccount: `agent1@${officialAccountId}y` }, onError: 'continueErrorOutput' });

		expect(fits.success[0].json.errcode).toBe(0);
		expect(errorOf(tooLong.errorOutput[0])).toMatchObject({ field: 'Customer Service Account', parameter: 'kfAccount', errcode: null });
		expect(String(errorOf(tooLong.errorOutput[0]).fix)).toContain('at most 30 characters');
		expect(emulator.counters.apiCalls['/customservice/kfaccount/uploadheadimg']).toBe(1);
	});

	test('an image of exactly 5 MB is uploaded', async () => {
		const { upload } = await sandbox();
		const { success } = await upload([jpegItem('max.jpg', {}, MAX_AVATAR_BYTES)]);

		expect(success[0].json).toMatchObject({ errcode: 0, fileSize: MAX_AVATAR_BYTES });
	});

	test.each([
		['a GIF', gifBytes(), 'a GIF image'],
		['a WebP', webpBytes(), 'a WebP image'],
		['random bytes', Buffer.from('hello, not an image at all'), 'data that is not an image'],
		['a truncated JPEG header', Buffer.from([0xff, 0xd8]), 'truncated or damaged'],
	])('%s is refused by content, saying what it looks like and suggesting Edit Image', async (_name, bytes, looksLike) => {
		const { emulator, upload } = await sandbox();
		const { errorOutput } = await upload([{ binary: { data: { bytes, fileName: 'avatar.jpg', mimeType: 'image/jpeg' } } }], {
			onError: 'continueErrorOutput',
		});

		expect(String(errorOutput[0].json.message)).toContain(looksLike);
		expect(String(errorOf(errorOutput[0]).fix)).toContain('Edit Image');
		expect(emulator.counters.apiCalls).toEqual({});
	});

	test('an empty file is refused', async () => {
		const { upload } = await sandbox();
		const { errorOutput } = await upload([{ binary: { data: { bytes: Buffer.alloc(0), fileName: 'empty.jpg' } } }], {
			onError: 'continueErrorOutput',
		});

		expect(String(errorOutput[0].json.message)).toContain('empty');
	});

	test.each([
		['no @', 'agent1'],
		['a prefix over 10 characters', 'agent_number_1@sandbox_oa'],
		['an ampersand', 'a&b@sandbox_oa'],
		['a hash', 'a#b@sandbox_oa'],
		['a question mark', 'a?b@sandbox_oa'],
		['a space inside', 'agent 1@sandbox_oa'],
		['a newline inside', 'agent1\n@sandbox_oa'],
		['200 characters', `${'a'.repeat(10)}@${'b'.repeat(189)}`],
		['an empty string', ''],
	])('a kf_account with %s is refused before any request', async (_name, kfAccount) => {
		const { emulator, upload } = await sandbox();
		const { errorOutput } = await upload([jpegItem('a.jpg', { kfAccount })], {
			onError: 'continueErrorOutput',
			parameters: { kfAccount: '={{ $json.kfAccount }}' },
		});

		expect(errorOf(errorOutput[0])).toMatchObject({ field: 'Customer Service Account', parameter: 'kfAccount', category: 'bad input' });
		expect(String(errorOutput[0].json.message)).toContain('prefix@OfficialAccountWeChatID');
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
	});

	test('an expression that yields a number is refused, saying so', async () => {
		const { upload } = await sandbox();
		const { errorOutput } = await upload([jpegItem()], {
			onError: 'continueErrorOutput',
			parameters: { kfAccount: '={{ 42 }}' },
		});

		expect(String(errorOutput[0].json.message)).toContain('the number 42');
	});

	test('surrounding whitespace in the account is ignored', async () => {
		const { emulator, upload } = await sandbox();
		const { success } = await upload([jpegItem()], { parameters: { kfAccount: '  agent1@sandbox_oa \n' } });

		expect(success[0].json.kfAccount).toBe('agent1@sandbox_oa');
		expect(emulator.uploads[0].kfAccount).toBe('agent1@sandbox_oa');
	});

	test('a bad AppID in the credential fails every item before any request', async () => {
		const started = await sandbox({}, { appId: 'not-an-app-id' });
		const { errorOutput } = await started.upload([jpegItem(), jpegItem()], { onError: 'continueErrorOutput' });

		expect(errorOutput).toHaveLength(2);
		expect(String(errorOutput[0].json.message)).toContain('AppID');
		expect(started.emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
	});
});
