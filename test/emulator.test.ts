import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { crc32, deflateSync } from 'node:zlib';

import { startWeChatEmulator } from './emulator';

type Emulator = Awaited<ReturnType<typeof startWeChatEmulator>>;
type KfAccount = { kf_account: string; kf_nick: string; kf_id: number; kf_headimgurl: string };
type WeChatAnswer = {
	errcode?: number;
	errmsg?: string;
	access_token?: string;
	expires_in?: number;
	kf_list?: KfAccount[];
};
type StateSnapshot = {
	counters: Emulator['counters'];
	uploads: Array<Omit<Emulator['uploads'][number], 'accessToken'>>;
	accounts: string[];
};

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'emulator-app-secret-0123456789ab';
const KF_ACCOUNT = 'agent1@sandbox_oa';
const OTHER_KF_ACCOUNT = 'agent2@sandbox_oa';
const UPLOAD_PATH = '/customservice/kfaccount/uploadheadimg';
const FIVE_MIB = 5 * 1024 * 1024;

/** A real 1×1 grey baseline JPEG: one DC-only block, one-symbol Huffman tables. */
function tinyJpeg(): Buffer {
	const segment = (marker: number, payload: number[]) =>
		Buffer.concat([Buffer.from([0xff, marker, 0, payload.length + 2]), Buffer.from(payload)]);
	const oneSymbolHuffmanTable = (tableClassAndId: number) => [tableClassAndId, 1, ...Array(15).fill(0), 0x00];
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
		segment(0xdb, [0x00, ...Array(64).fill(1)]),
		segment(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
		segment(0xc4, oneSymbolHuffmanTable(0x00)),
		segment(0xc4, oneSymbolHuffmanTable(0x10)),
		segment(0xda, [1, 1, 0x00, 0, 63, 0]),
		Buffer.from([0x3f, 0xff, 0xd9]),
	]);
}

/** A real 1×1 WeChat-green RGB PNG. */
function tinyPng(): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const checksum = Buffer.alloc(4);
		checksum.writeUInt32BE(crc32(typeAndData));
		return Buffer.concat([length, typeAndData, checksum]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(1, 0);
	header.writeUInt32BE(1, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.from([0, 0x07, 0xc1, 0x60]))),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/** A JPEG padded after its end marker to exactly `size` bytes. */
function jpegOfSize(size: number): Buffer {
	const image = Buffer.alloc(size);
	tinyJpeg().copy(image);
	return image;
}

function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

function avatarForm(
	bytes: Buffer,
	{
		fileName = '头像.jpg',
		type = 'image/jpeg',
		field = 'media',
	}: { fileName?: string; type?: string; field?: string } = {},
): FormData {
	const form = new FormData();
	form.append(field, new Blob([bytes], { type }), fileName);
	return form;
}

let emulator: Emulator;

beforeEach(async () => {
	emulator = await startWeChatEmulator({ accounts: [KF_ACCOUNT, OTHER_KF_ACCOUNT] });
});

afterEach(async () => {
	await emulator.close();
});

async function getJson<Answer = WeChatAnswer>(pathAndQuery: string, on: Emulator = emulator): Promise<Answer> {
	return (await (await fetch(on.baseUrl + pathAndQuery)).json()) as Answer;
}

async function postJson(pathAndQuery: string, body: unknown, on: Emulator = emulator): Promise<WeChatAnswer> {
	const response = await fetch(on.baseUrl + pathAndQuery, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	return (await response.json()) as WeChatAnswer;
}

function requestClassicToken(
	{ grantType = 'client_credential', appId = APP_ID, secret = APP_SECRET } = {},
	on: Emulator = emulator,
): Promise<WeChatAnswer> {
	const query = new URLSearchParams({ grant_type: grantType, appid: appId, secret });
	return getJson(`/cgi-bin/token?${query}`, on);
}

function requestStableToken(body: Record<string, unknown> = {}, on: Emulator = emulator): Promise<WeChatAnswer> {
	return postJson(
		'/cgi-bin/stable_token',
		{ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, force_refresh: false, ...body },
		on,
	);
}

async function stableToken(on: Emulator = emulator): Promise<string> {
	const answer = await requestStableToken({}, on);
	if (!answer.access_token) throw new Error(`no token: ${JSON.stringify(answer)}`);
	return answer.access_token;
}

function uploadUrl(accessToken: string, kfAccount: string = KF_ACCOUNT, on: Emulator = emulator): string {
	const query = new URLSearchParams({ access_token: accessToken, kf_account: kfAccount });
	return `${on.baseUrl}${UPLOAD_PATH}?${query}`;
}

async function uploadAvatar(
	body: FormData | string | Buffer,
	{
		accessToken,
		kfAccount = KF_ACCOUNT,
		headers,
	}: { accessToken: string; kfAccount?: string; headers?: Record<string, string> },
	on: Emulator = emulator,
): Promise<WeChatAnswer> {
	const response = await fetch(uploadUrl(accessToken, kfAccount, on), { method: 'POST', body, headers });
	return (await response.json()) as WeChatAnswer;
}

/** Whether a token is accepted by an API call: the errcode getkflist answers, 0 when it lists accounts. */
async function errcodeForToken(accessToken: string): Promise<number> {
	const answer = await getJson(`/cgi-bin/customservice/getkflist?access_token=${encodeURIComponent(accessToken)}`);
	return answer.kf_list ? 0 : (answer.errcode ?? Number.NaN);
}

describe('classic token endpoint (GET /cgi-bin/token)', () => {
	test('mints a new token with expires_in 7200 on every call and counts requests and mints', async () => {
		const first = await requestClassicToken();
		const second = await requestClassicToken();
		expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
		expect(second.access_token).not.toBe(first.access_token);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 2, stable: 0 });
		expect(emulator.counters.tokensMinted).toEqual({ classic: 2, stable: 0 });
		expect(emulator.mintedTokens()).toEqual([first.access_token, second.access_token]);
	});

	test('keeps the previous classic token valid for 300 seconds after a new one is minted', async () => {
		const previous = (await requestClassicToken()).access_token!;
		emulator.advanceClock(1000);
		const latest = (await requestClassicToken()).access_token!;
		emulator.advanceClock(299);
		expect(await errcodeForToken(previous)).toBe(0);
		emulator.advanceClock(2);
		expect(await errcodeForToken(previous)).toBe(40001);
		expect(await errcodeForToken(latest)).toBe(0);
	});

	test('a superseded token still dies at its own expiry when that comes before the 300 seconds', async () => {
		const previous = (await requestClassicToken()).access_token!;
		emulator.advanceClock(7100);
		await requestClassicToken();
		emulator.advanceClock(101);
		expect(await errcodeForToken(previous)).toBe(42001);
	});

	test('a token answers 42001 once its lifetime has passed', async () => {
		const token = (await requestClassicToken()).access_token!;
		emulator.advanceClock(7199);
		expect(await errcodeForToken(token)).toBe(0);
		emulator.advanceClock(1);
		expect(await errcodeForToken(token)).toBe(42001);
	});

	test('answers 40002 to a wrong grant_type', async () => {
		expect(await requestClassicToken({ grantType: 'password' })).toEqual({ errcode: 40002, errmsg: 'invalid grant_type' });
	});

	test('answers 40013 to an unknown appid and 40125 to a wrong secret, minting nothing', async () => {
		expect(await requestClassicToken({ appId: 'wx00000000000000ff' })).toEqual({ errcode: 40013, errmsg: 'invalid appid' });
		expect(await requestClassicToken({ secret: 'wrong' })).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
		expect(emulator.counters.tokenRequests.classic).toBe(2);
		expect(emulator.counters.tokensMinted.classic).toBe(0);
	});

	test('answers 41002 / 41004 when appid or secret is missing', async () => {
		expect(await getJson('/cgi-bin/token?grant_type=client_credential')).toMatchObject({ errcode: 41002 });
		expect(await getJson(`/cgi-bin/token?grant_type=client_credential&appid=${APP_ID}`)).toMatchObject({
			errcode: 41004,
		});
	});

	test('honours custom appId, appSecret and tokenLifetimeSeconds', async () => {
		const custom = await startWeChatEmulator({ appId: 'wxcustom', appSecret: 'custom-secret', tokenLifetimeSeconds: 60 });
		try {
			expect(custom.appId).toBe('wxcustom');
			expect(await requestClassicToken({ appId: 'wxcustom', secret: 'custom-secret' }, custom)).toMatchObject({
				expires_in: 60,
			});
			expect(await requestClassicToken({}, custom)).toMatchObject({ errcode: 40013 });
		} finally {
			await custom.close();
		}
	});
});

describe('stable token endpoint (POST /cgi-bin/stable_token)', () => {
	test('returns the same token with the seconds it has left and mints none', async () => {
		const first = await requestStableToken();
		expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
		emulator.advanceClock(100);
		const second = await requestStableToken();
		expect(second).toEqual({ access_token: first.access_token, expires_in: 7100 });
		expect(emulator.counters.tokenRequests.stable).toBe(2);
		expect(emulator.counters.tokensMinted.stable).toBe(1);
	});

	test('force_refresh mints a new token and keeps the old one valid for 300 seconds', async () => {
		const old = await stableToken();
		const refreshed = await requestStableToken({ force_refresh: true });
		expect(refreshed).toEqual({ access_token: expect.any(String), expires_in: 7200 });
		expect(refreshed.access_token).not.toBe(old);
		expect(emulator.counters.forceRefreshes).toBe(1);
		expect(emulator.counters.tokensMinted.stable).toBe(2);
		expect(await stableToken()).toBe(refreshed.access_token);
		emulator.advanceClock(299);
		expect(await errcodeForToken(old)).toBe(0);
		emulator.advanceClock(2);
		expect(await errcodeForToken(old)).toBe(40001);
		expect(await errcodeForToken(refreshed.access_token!)).toBe(0);
	});

	test('mints a new token once the current one has expired', async () => {
		const expired = await stableToken();
		emulator.advanceClock(7200);
		const fresh = await requestStableToken();
		expect(fresh).toEqual({ access_token: expect.any(String), expires_in: 7200 });
		expect(fresh.access_token).not.toBe(expired);
		expect(emulator.counters.tokensMinted.stable).toBe(2);
		expect(emulator.counters.forceRefreshes).toBe(0);
	});

	test('classic and stable tokens are independent of each other', async () => {
		const stable = await stableToken();
		const classic = (await requestClassicToken()).access_token!;
		await requestClassicToken();
		await requestStableToken({ force_refresh: true });
		await requestClassicToken();
		expect(await stableToken()).not.toBe(stable);
		emulator.advanceClock(301);
		expect(await errcodeForToken(stable)).toBe(40001);
		expect(await errcodeForToken(classic)).toBe(40001);
		const currentStable = await stableToken();
		expect(await errcodeForToken(currentStable)).toBe(0);
		expect(emulator.counters.tokensMinted).toEqual({ classic: 3, stable: 2 });
	});

	test('answers 47001 to a body that is not JSON or a force_refresh that is not a boolean', async () => {
		expect(await postJson('/cgi-bin/stable_token', '{"grant_type":')).toEqual({
			errcode: 47001,
			errmsg: 'data format error',
		});
		expect(await postJson('/cgi-bin/stable_token', '[]')).toMatchObject({ errcode: 47001 });
		expect(await requestStableToken({ force_refresh: 'true' })).toMatchObject({ errcode: 47001 });
	});

	test('answers 40002, 40013 and 40125 like the classic endpoint', async () => {
		expect(await requestStableToken({ grant_type: 'authorization_code' })).toMatchObject({ errcode: 40002 });
		expect(await requestStableToken({ appid: 'wxunknown' })).toEqual({ errcode: 40013, errmsg: 'invalid appid' });
		expect(await requestStableToken({ secret: 'wrong' })).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
		expect(emulator.counters.tokensMinted.stable).toBe(0);
	});

	test('answers 43002 to GET', async () => {
		expect(await getJson('/cgi-bin/stable_token')).toMatchObject({ errcode: 43002 });
	});
});

describe('caller IP checks on the token endpoints', () => {
	const WHITELIST_ERRMSG = /^invalid ip 203\.0\.113\.7 ipv6 ::ffff:203\.0\.113\.7, not in whitelist rid: [0-9a-f-]+$/;

	test('blockCallerIp answers 40164 naming the IP until unblockCallerIp', async () => {
		emulator.blockCallerIp();
		const classic = await requestClassicToken();
		const stable = await requestStableToken();
		expect(classic).toEqual({ errcode: 40164, errmsg: expect.stringMatching(WHITELIST_ERRMSG) });
		expect(stable).toEqual({ errcode: 40164, errmsg: expect.stringMatching(WHITELIST_ERRMSG) });
		expect(emulator.counters.tokensMinted).toEqual({ classic: 0, stable: 0 });

		emulator.blockCallerIp('198.51.100.23');
		expect((await requestStableToken()).errmsg).toMatch(/^invalid ip 198\.51\.100\.23 ipv6 ::ffff:198\.51\.100\.23,/);

		emulator.unblockCallerIp();
		expect(await requestStableToken()).toMatchObject({ access_token: expect.any(String) });
	});

	test('credentials are checked before the IP', async () => {
		emulator.blockCallerIp();
		expect(await requestClassicToken({ secret: 'wrong' })).toMatchObject({ errcode: 40125 });
	});

	test('requireIpApproval answers 89503 (or the errcode given) until clearIpApproval', async () => {
		emulator.requireIpApproval();
		expect(await requestClassicToken()).toEqual({
			errcode: 89503,
			errmsg: expect.stringMatching(/^risky ip, need admin confirm rid: /),
		});
		emulator.requireIpApproval(89506);
		expect(await requestStableToken()).toMatchObject({ errcode: 89506 });
		emulator.clearIpApproval();
		expect(await requestStableToken()).toMatchObject({ access_token: expect.any(String) });
	});
});

describe('access token checks on API calls', () => {
	test('answers 41001 when access_token is missing or empty', async () => {
		const missing = { errcode: 41001, errmsg: 'access_token missing' };
		expect(await getJson('/cgi-bin/customservice/getkflist')).toEqual(missing);
		expect(await getJson('/cgi-bin/customservice/getkflist?access_token=')).toEqual(missing);
		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken: '' })).toEqual(missing);
	});

	test('answers 40001 to a token the emulator never issued', async () => {
		const invalid = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
		expect(await getJson('/cgi-bin/customservice/getkflist?access_token=made-up')).toEqual(invalid);
		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken: 'made-up' })).toEqual(invalid);
		expect(emulator.uploads).toHaveLength(0);
	});

	test('expireAllTokens makes every token issued so far answer 42001', async () => {
		const stable = await stableToken();
		const classic = (await requestClassicToken()).access_token!;
		emulator.expireAllTokens();
		const expired = { errcode: 42001, errmsg: 'access_token expired' };
		expect(await getJson(`/cgi-bin/customservice/getkflist?access_token=${stable}`)).toEqual(expired);
		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken: classic })).toEqual(expired);
		const fresh = await stableToken();
		expect(fresh).not.toBe(stable);
		expect(await errcodeForToken(fresh)).toBe(0);
	});

	test('invalidateAllTokens makes every token issued so far answer 40001', async () => {
		const stable = await stableToken();
		emulator.invalidateAllTokens();
		expect(await errcodeForToken(stable)).toBe(40001);
		const fresh = await stableToken();
		expect(fresh).not.toBe(stable);
		expect(await errcodeForToken(fresh)).toBe(0);
	});
});

describe('avatar upload (POST /customservice/kfaccount/uploadheadimg)', () => {
	test('accepts a JPEG with a Chinese file name and records it', async () => {
		const accessToken = await stableToken();
		const jpeg = tinyJpeg();
		const answer = await uploadAvatar(avatarForm(jpeg, { fileName: '客服头像.jpg' }), { accessToken });
		expect(answer).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(emulator.uploads).toEqual([
			{
				kfAccount: KF_ACCOUNT,
				fileName: '客服头像.jpg',
				contentType: 'image/jpeg',
				size: jpeg.length,
				sha256: sha256(jpeg),
				accessToken,
				receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			},
		]);
		expect(emulator.counters.uploads).toBe(1);
		expect(emulator.counters.apiCalls[UPLOAD_PATH]).toBe(1);
	});

	test('accepts a PNG, and answers 40005 to it when rejectPng is set', async () => {
		expect(await uploadAvatar(avatarForm(tinyPng(), { fileName: 'a.png', type: 'image/png' }), {
			accessToken: await stableToken(),
		})).toEqual({ errcode: 0, errmsg: 'ok' });

		const strict = await startWeChatEmulator({ rejectPng: true });
		try {
			const accessToken = await stableToken(strict);
			const png = avatarForm(tinyPng(), { fileName: 'a.png', type: 'image/png' });
			expect(await uploadAvatar(png, { accessToken }, strict)).toEqual({ errcode: 40005, errmsg: 'invalid file type' });
			expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken }, strict)).toMatchObject({ errcode: 0 });
			expect(strict.uploads).toHaveLength(1);
		} finally {
			await strict.close();
		}
	});

	test('answers 41005 to a body that is not multipart/form-data', async () => {
		const accessToken = await stableToken();
		const missing = { errcode: 41005, errmsg: 'media data missing' };
		expect(await uploadAvatar(tinyJpeg(), { accessToken, headers: { 'Content-Type': 'image/jpeg' } })).toEqual(missing);
		expect(await uploadAvatar(new URLSearchParams({ media: 'x' }).toString(), {
			accessToken,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		})).toEqual(missing);
		expect(await uploadAvatar('', { accessToken, headers: { 'Content-Type': 'multipart/form-data' } })).toEqual(missing);
	});

	test('answers 41005 to a malformed multipart body', async () => {
		const accessToken = await stableToken();
		const unterminated =
			'--XYZ\r\nContent-Disposition: form-data; name="media"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n' +
			tinyJpeg().toString('latin1');
		const headers = { 'Content-Type': 'multipart/form-data; boundary=XYZ' };
		expect(await uploadAvatar(Buffer.from(unterminated, 'latin1'), { accessToken, headers })).toMatchObject({
			errcode: 41005,
		});
		expect(await uploadAvatar('--XYZ\r\nnot a header\r\n\r\n--XYZ--\r\n', { accessToken, headers })).toMatchObject({
			errcode: 41005,
		});
		expect(emulator.uploads).toHaveLength(0);
	});

	test('answers 41005 when the file part is not named media', async () => {
		const answer = await uploadAvatar(avatarForm(tinyJpeg(), { field: 'file' }), { accessToken: await stableToken() });
		expect(answer).toEqual({ errcode: 41005, errmsg: 'media data missing' });
	});

	test('answers 41005 when media is a plain field without a file name', async () => {
		const form = new FormData();
		form.append('media', tinyJpeg().toString('latin1'));
		expect(await uploadAvatar(form, { accessToken: await stableToken() })).toMatchObject({ errcode: 41005 });
	});

	test('answers 41005 when there is more than one file part', async () => {
		const form = avatarForm(tinyJpeg());
		form.append('media', new Blob([tinyJpeg()], { type: 'image/jpeg' }), 'second.jpg');
		expect(await uploadAvatar(form, { accessToken: await stableToken() })).toMatchObject({ errcode: 41005 });
		const withExtraFile = avatarForm(tinyJpeg());
		withExtraFile.append('thumb', new Blob([tinyJpeg()], { type: 'image/jpeg' }), 'thumb.jpg');
		expect(await uploadAvatar(withExtraFile, { accessToken: await stableToken() })).toMatchObject({ errcode: 41005 });
	});

	test('answers 41005 to an empty file', async () => {
		expect(await uploadAvatar(avatarForm(Buffer.alloc(0)), { accessToken: await stableToken() })).toMatchObject({
			errcode: 41005,
		});
	});

	test('answers 40005 when the declared content type is not image/jpeg or image/png', async () => {
		const accessToken = await stableToken();
		for (const type of ['image/gif', 'application/octet-stream', 'image/jpg', '']) {
			expect(await uploadAvatar(avatarForm(tinyJpeg(), { type }), { accessToken })).toEqual({
				errcode: 40005,
				errmsg: 'invalid file type',
			});
		}
	});

	test('answers 40005 when the bytes are not the image type declared', async () => {
		const accessToken = await stableToken();
		expect(await uploadAvatar(avatarForm(tinyPng(), { type: 'image/jpeg' }), { accessToken })).toMatchObject({
			errcode: 40005,
		});
		expect(await uploadAvatar(avatarForm(tinyJpeg(), { type: 'image/png' }), { accessToken })).toMatchObject({
			errcode: 40005,
		});
		expect(await uploadAvatar(avatarForm(Buffer.from('GIF89a not really')), { accessToken })).toMatchObject({
			errcode: 40005,
		});
		expect(emulator.uploads).toHaveLength(0);
	});

	test('accepts exactly 5 MiB and answers 40009 to 5 MiB + 1 byte', async () => {
		const accessToken = await stableToken();
		expect(await uploadAvatar(avatarForm(jpegOfSize(FIVE_MIB)), { accessToken })).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(emulator.uploads[0].size).toBe(FIVE_MIB);
		expect(await uploadAvatar(avatarForm(jpegOfSize(FIVE_MIB + 1)), { accessToken })).toEqual({
			errcode: 40009,
			errmsg: 'invalid image size',
		});
		expect(await uploadAvatar(avatarForm(jpegOfSize(12 * 1024 * 1024)), { accessToken })).toMatchObject({
			errcode: 40009,
		});
		expect(emulator.uploads).toHaveLength(1);
	});

	test('answers 65401 to a kf_account that is unknown, missing or repeated', async () => {
		const accessToken = await stableToken();
		const invalid = { errcode: 65401, errmsg: 'invalid kf_account' };
		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken, kfAccount: 'ghost@sandbox_oa' })).toEqual(invalid);
		const post = (query: string) =>
			fetch(`${emulator.baseUrl}${UPLOAD_PATH}?access_token=${accessToken}${query}`, {
				method: 'POST',
				body: avatarForm(tinyJpeg()),
			}).then((response) => response.json());
		expect(await post('')).toEqual(invalid);
		const encodedAccount = encodeURIComponent(KF_ACCOUNT);
		expect(await post(`&kf_account=${encodedAccount}&kf_account=${encodedAccount}`)).toEqual(invalid);
		expect(await post(`&kf_account=${KF_ACCOUNT}`)).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(emulator.uploads).toHaveLength(1);
	});

	test('answers 43002 to GET', async () => {
		const response = await fetch(uploadUrl(await stableToken()));
		expect(await response.json()).toMatchObject({ errcode: 43002 });
	});
});

describe('kf account list (GET /cgi-bin/customservice/getkflist)', () => {
	test('lists the accounts with nick, ids from 1001 and an avatar URL that changes after an upload', async () => {
		const accessToken = await stableToken();
		const before = await getJson(`/cgi-bin/customservice/getkflist?access_token=${accessToken}`);
		expect(before).toEqual({
			kf_list: [
				{ kf_account: KF_ACCOUNT, kf_nick: 'agent1', kf_id: 1001, kf_headimgurl: expect.stringMatching(/^http:\/\//) },
				{ kf_account: OTHER_KF_ACCOUNT, kf_nick: 'agent2', kf_id: 1002, kf_headimgurl: expect.stringMatching(/^http:\/\//) },
			],
		});
		await uploadAvatar(avatarForm(tinyJpeg()), { accessToken, kfAccount: OTHER_KF_ACCOUNT });
		const after = await getJson(`/cgi-bin/customservice/getkflist?access_token=${accessToken}`);
		const [firstBefore, secondBefore] = before.kf_list!;
		const [firstAfter, secondAfter] = after.kf_list!;
		expect(firstAfter.kf_headimgurl).toBe(firstBefore.kf_headimgurl);
		expect(secondAfter.kf_headimgurl).toMatch(/^http:\/\//);
		expect(secondAfter.kf_headimgurl).not.toBe(secondBefore.kf_headimgurl);
	});
});

describe('faults', () => {
	let accessToken: string;
	beforeEach(async () => {
		accessToken = await stableToken();
	});
	const upload = () => uploadAvatar(avatarForm(tinyJpeg()), { accessToken });
	const rawUpload = (signal?: AbortSignal) =>
		fetch(uploadUrl(accessToken), { method: 'POST', body: avatarForm(tinyJpeg()), signal });

	test('errcode answers the given errcode and errmsg once, then the upload succeeds', async () => {
		emulator.inject({ kind: 'errcode', errcode: 65400, errmsg: 'please enable new custom service' });
		expect(await upload()).toEqual({ errcode: 65400, errmsg: 'please enable new custom service' });
		expect(await upload()).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(emulator.uploads).toHaveLength(1);
	});

	test('errcode without errmsg uses WeChat\'s own message', async () => {
		emulator.inject({ kind: 'errcode', errcode: 45009 });
		expect(await upload()).toEqual({ errcode: 45009, errmsg: 'reach max api daily quota limit' });
	});

	test('busy answers errcode -1 "system error" as many times as asked', async () => {
		emulator.inject({ kind: 'busy', times: 2 });
		expect(await upload()).toEqual({ errcode: -1, errmsg: 'system error' });
		expect(await upload()).toEqual({ errcode: -1, errmsg: 'system error' });
		expect(await upload()).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(emulator.counters.apiCalls[UPLOAD_PATH]).toBe(3);
		expect(emulator.counters.uploads).toBe(1);
	});

	test('html502 answers HTTP 502 with an nginx HTML page', async () => {
		emulator.inject({ kind: 'html502' });
		const response = await rawUpload();
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toContain('<center><h1>502 Bad Gateway</h1></center>');
	});

	test('truncatedJson answers HTTP 200 with JSON cut off mid-way', async () => {
		emulator.inject({ kind: 'truncatedJson' });
		const response = await rawUpload();
		expect(response.status).toBe(200);
		const text = await response.text();
		expect(text).toBe('{"errcode":0,"errm');
		expect(() => JSON.parse(text)).toThrow();
	});

	test('unquotedErrcode answers HTTP 200 with a body that is not valid JSON', async () => {
		emulator.inject({ kind: 'unquotedErrcode' });
		const response = await rawUpload();
		expect(response.status).toBe(200);
		const text = await response.text();
		expect(text).toBe('{"errcode":ok,"errmsg":"ok"}');
		expect(() => JSON.parse(text)).toThrow();
		expect(emulator.uploads).toHaveLength(0);
	});

	test('reset destroys the socket without answering', async () => {
		emulator.inject({ kind: 'reset' });
		await expect(rawUpload()).rejects.toThrow('fetch failed');
		expect(await upload()).toEqual({ errcode: 0, errmsg: 'ok' });
	});

	test('hang never answers, and the emulator keeps serving others', async () => {
		emulator.inject({ kind: 'hang' });
		await expect(rawUpload(AbortSignal.timeout(200))).rejects.toThrow(/aborted/);
		expect(await upload()).toEqual({ errcode: 0, errmsg: 'ok' });
	});

	test('close() ends a hanging request', async () => {
		emulator.inject({ kind: 'hang' });
		const hanging = rawUpload();
		await new Promise((resolve) => setTimeout(resolve, 100));
		await emulator.close();
		await expect(hanging).rejects.toThrow('fetch failed');
	});

	test('delay waits the given ms, then answers normally', async () => {
		emulator.inject({ kind: 'delay', ms: 250 });
		const started = Date.now();
		expect(await upload()).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
		expect(emulator.uploads).toHaveLength(1);
	});

	test('faults hit only their own path, the token endpoints included', async () => {
		emulator.inject({ kind: 'html502', path: '/cgi-bin/token' });
		emulator.inject({ kind: 'busy', path: '/cgi-bin/stable_token' });
		expect(await upload()).toEqual({ errcode: 0, errmsg: 'ok' });
		const classicQuery = new URLSearchParams({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });
		const classic = await fetch(`${emulator.baseUrl}/cgi-bin/token?${classicQuery}`);
		expect(classic.status).toBe(502);
		expect(await requestStableToken({ force_refresh: true })).toEqual({ errcode: -1, errmsg: 'system error' });
		expect(emulator.counters.tokenRequests).toEqual({ classic: 1, stable: 2 });
		expect(emulator.counters.tokensMinted).toEqual({ classic: 0, stable: 1 });
		expect(emulator.counters.forceRefreshes).toBe(0);
	});

	test('faults are used up in the order they were injected', async () => {
		emulator.inject({ kind: 'errcode', errcode: 45009 });
		emulator.inject({ kind: 'busy' });
		expect((await upload()).errcode).toBe(45009);
		expect((await upload()).errcode).toBe(-1);
		expect((await upload()).errcode).toBe(0);
	});

	test('a fault on the upload path is applied after the request body has been read', async () => {
		emulator.inject({ kind: 'busy' });
		const boundary = 'EmulatorBoundary';
		const head = Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
		);
		const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
		const url = new URL(uploadUrl(accessToken));
		let answered = false;
		const request = http.request(url, {
			method: 'POST',
			headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
		});
		const answer = new Promise<string>((resolve, reject) => {
			request.on('response', (response) => {
				answered = true;
				let body = '';
				response.on('data', (chunk) => (body += chunk));
				response.on('end', () => resolve(body));
			});
			request.on('error', reject);
		});
		request.write(Buffer.concat([head, tinyJpeg()]));
		await new Promise((resolve) => setTimeout(resolve, 150));
		expect(answered).toBe(false);
		request.end(tail);
		expect(JSON.parse(await answer)).toEqual({ errcode: -1, errmsg: 'system error' });
	});

	test('inject refuses a fault it does not know', () => {
		expect(() => emulator.inject({ kind: 'explode' } as never)).toThrow(/unknown fault kind/);
		expect(() => emulator.inject({ kind: 'errcode' })).toThrow(/errcode/);
		expect(() => emulator.inject({ kind: 'delay' })).toThrow(/ms/);
	});
});

describe('concurrency', () => {
	test('counts 40 concurrent uploads correctly', async () => {
		const accessToken = await stableToken();
		const images = Array.from({ length: 40 }, (_, index) => jpegOfSize(100 * 1024 + index));
		const answers = await Promise.all(
			images.map((image, index) =>
				uploadAvatar(avatarForm(image, { fileName: `agent-${index}.jpg` }), {
					accessToken,
					kfAccount: index % 2 ? OTHER_KF_ACCOUNT : KF_ACCOUNT,
				}),
			),
		);
		expect(answers.every((answer) => answer.errcode === 0)).toBe(true);
		expect(emulator.counters.uploads).toBe(40);
		expect(emulator.counters.apiCalls[UPLOAD_PATH]).toBe(40);
		expect(emulator.uploads.map((upload) => upload.sha256).sort()).toEqual(images.map(sha256).sort());
		for (const upload of emulator.uploads) {
			const index = Number(upload.fileName.match(/\d+/)![0]);
			expect(upload.size).toBe(images[index].length);
			expect(upload.kfAccount).toBe(index % 2 ? OTHER_KF_ACCOUNT : KF_ACCOUNT);
		}
	});

	test('a fault with times 5 hits exactly 5 of 20 concurrent uploads', async () => {
		const accessToken = await stableToken();
		emulator.inject({ kind: 'busy', times: 5 });
		const answers = await Promise.all(
			Array.from({ length: 20 }, () => uploadAvatar(avatarForm(jpegOfSize(64 * 1024)), { accessToken })),
		);
		expect(answers.filter((answer) => answer.errcode === -1)).toHaveLength(5);
		expect(answers.filter((answer) => answer.errcode === 0)).toHaveLength(15);
		expect(emulator.counters.uploads).toBe(15);
	});
});

describe('control API', () => {
	test('GET /__emulator/state shows counters, uploads without access tokens, and accounts', async () => {
		await uploadAvatar(avatarForm(tinyJpeg()), { accessToken: await stableToken() });
		const state = await getJson<StateSnapshot>('/__emulator/state');
		expect(state.counters).toEqual(JSON.parse(JSON.stringify(emulator.counters)));
		expect(state.accounts).toEqual([KF_ACCOUNT, OTHER_KF_ACCOUNT]);
		expect(state.uploads).toEqual([
			expect.objectContaining({ kfAccount: KF_ACCOUNT, fileName: '头像.jpg', size: tinyJpeg().length }),
		]);
		expect(state.uploads[0]).not.toHaveProperty('accessToken');
		const stateText = JSON.stringify(state);
		for (const token of emulator.mintedTokens()) expect(stateText).not.toContain(token);
	});

	test('POST /__emulator/faults queues a fault like inject, and refuses an invalid one with 400', async () => {
		expect(await postJson('/__emulator/faults', { kind: 'busy', path: '/cgi-bin/stable_token' })).toEqual({ ok: true });
		expect(await requestStableToken()).toEqual({ errcode: -1, errmsg: 'system error' });
		const refused = await fetch(`${emulator.baseUrl}/__emulator/faults`, { method: 'POST', body: '{"kind":"nope"}' });
		expect(refused.status).toBe(400);
		expect(await refused.json()).toEqual({ ok: false, error: expect.stringMatching(/unknown fault kind/) });
	});

	test('POST /__emulator/expire-tokens expires every token issued so far', async () => {
		const accessToken = await stableToken();
		expect(await postJson('/__emulator/expire-tokens', '')).toEqual({ ok: true });
		expect(await errcodeForToken(accessToken)).toBe(42001);
	});

	test('POST /__emulator/reset-counters zeroes the counters in place', async () => {
		const counters = emulator.counters;
		await uploadAvatar(avatarForm(tinyJpeg()), { accessToken: await stableToken() });
		emulator.resetCounters();
		expect(counters).toEqual({
			tokenRequests: { classic: 0, stable: 0 },
			tokensMinted: { classic: 0, stable: 0 },
			forceRefreshes: 0,
			apiCalls: {},
			uploads: 0,
		});
		await requestClassicToken();
		expect(await postJson('/__emulator/reset-counters', '')).toEqual({ ok: true });
		expect(counters.tokenRequests.classic).toBe(0);
		expect(emulator.uploads).toHaveLength(1);
	});

	test('the other control actions work over HTTP', async () => {
		const accessToken = await stableToken();
		await postJson('/__emulator/advance-clock', { seconds: 7200 });
		expect(await errcodeForToken(accessToken)).toBe(42001);
		await postJson('/__emulator/block-ip', {});
		expect(await requestStableToken()).toMatchObject({ errcode: 40164 });
		await postJson('/__emulator/unblock-ip', {});
		await postJson('/__emulator/require-ip-approval', { errcode: 89501 });
		expect(await requestStableToken()).toMatchObject({ errcode: 89501 });
		await postJson('/__emulator/clear-ip-approval', {});
		const fresh = await stableToken();
		await postJson('/__emulator/invalidate-tokens', {});
		expect(await errcodeForToken(fresh)).toBe(40001);
		expect((await fetch(`${emulator.baseUrl}/__emulator/expire-tokens`)).status).toBe(405);
		expect((await fetch(`${emulator.baseUrl}/__emulator/nothing`)).status).toBe(404);
	});
});

describe('robustness', () => {
	test('answers 404 JSON to an unknown path', async () => {
		const response = await fetch(`${emulator.baseUrl}/cgi-bin/nothing-here`);
		expect(response.status).toBe(404);
		expect(await response.json()).toMatchObject({ errcode: 404 });
	});

	test('survives garbage on the socket and a client that aborts mid-upload', async () => {
		await new Promise<void>((resolve) => {
			const socket = net.connect(Number(new URL(emulator.baseUrl).port), '127.0.0.1', () => {
				socket.end('NOT HTTP AT ALL\r\n\r\n');
			});
			socket.resume();
			socket.on('close', () => resolve());
			socket.on('error', () => resolve());
		});

		const accessToken = await stableToken();
		const request = http.request(new URL(uploadUrl(accessToken)), {
			method: 'POST',
			headers: { 'Content-Type': 'multipart/form-data; boundary=B', 'Content-Length': '100000' },
		});
		request.on('error', () => {});
		request.write(
			'--B\r\nContent-Disposition: form-data; name="media"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n',
		);
		await new Promise((resolve) => setTimeout(resolve, 50));
		request.destroy();

		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken })).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(emulator.uploads).toHaveLength(1);
	});

	test('close() can be called twice', async () => {
		await emulator.close();
		await emulator.close();
	});
});

describe('command line', () => {
	test('prints its base URL and credentials as one JSON line, serves, and exits on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[
				path.join(__dirname, 'emulator', 'cli.js'),
				...['--port', '0', '--accounts', 'a@b,c@d', '--app-id', 'wxcli', '--app-secret', 's3cret'],
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		const [firstLine] = await Promise.race([
			createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((line) => [line.value as string]),
			exited.then((code) => {
				throw new Error(`cli exited early with ${code}`);
			}),
		]);
		const started = JSON.parse(firstLine);
		expect(started).toEqual({
			baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
			appId: 'wxcli',
			appSecret: 's3cret',
		});
		const state = (await (await fetch(`${started.baseUrl}/__emulator/state`)).json()) as { accounts: string[] };
		expect(state.accounts).toEqual(['a@b', 'c@d']);
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});
});

describe('fault timing', () => {
	test('a fault with `after` lets that many requests through first, and expireTokens expires every token on arrival', async () => {
		const emulator = await startWeChatEmulator();
		try {
			const token = await fetch(`${emulator.baseUrl}/cgi-bin/stable_token`, {
				method: 'POST',
				body: JSON.stringify({ grant_type: 'client_credential', appid: emulator.appId, secret: emulator.appSecret }),
			}).then((response) => response.json() as Promise<{ access_token: string }>);
			emulator.inject({ kind: 'expireTokens', path: '/cgi-bin/customservice/getkflist', after: 2 });
			const list = () =>
				fetch(`${emulator.baseUrl}/cgi-bin/customservice/getkflist?access_token=${token.access_token}`).then(
					(response) => response.json() as Promise<{ errcode?: number }>,
				);
			expect((await list()).errcode).toBeUndefined();
			expect((await list()).errcode).toBeUndefined();
			expect((await list()).errcode).toBe(42001);
		} finally {
			await emulator.close();
		}
	});
});
