import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { crc32, deflateSync } from 'node:zlib';

import { startWeChatEmulator } from './emulator';

type Emulator = Awaited<ReturnType<typeof startWeChatEmulator>>;
type KfAccount = {
	kf_account: string;
	kf_nick: string;
	kf_id: number;
	kf_headimgurl: string;
	kf_wx?: string;
	invite_wx?: string;
	invite_expire_time?: number;
	invite_status?: string;
};
type OnlineKfAccount = { kf_account: string; status: number; kf_id: number; accepted_case: number };
type WeChatAnswer = {
	errcode?: number;
	errmsg?: string;
	access_token?: string;
	expires_in?: number;
	kf_list?: KfAccount[];
	kf_online_list?: OnlineKfAccount[];
};
type StateSnapshot = {
	counters: Emulator['counters'];
	uploads: Array<Omit<Emulator['uploads'][number], 'accessToken'>>;
	accounts: string[];
	kfList: KfAccount[];
	kfOnlineList: OnlineKfAccount[];
};

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'emulator-app-secret-0123456789ab';
const KF_ACCOUNT = 'agent1@sandbox_oa';
const OTHER_KF_ACCOUNT = 'agent2@sandbox_oa';
const UPLOAD_PATH = '/customservice/kfaccount/uploadheadimg';
const LIST_PATH = '/cgi-bin/customservice/getkflist';
const ONLINE_LIST_PATH = '/cgi-bin/customservice/getonlinekflist';
const ADD_PATH = '/customservice/kfaccount/add';
const UPDATE_PATH = '/customservice/kfaccount/update';
const DELETE_PATH = '/customservice/kfaccount/del';
const INVITE_PATH = '/customservice/kfaccount/inviteworker';
const SEVEN_DAYS_IN_SECONDS = 7 * 24 * 60 * 60;
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

function withToken(apiPath: string, accessToken: string, query: Record<string, string> = {}): string {
	return `${apiPath}?${new URLSearchParams({ access_token: accessToken, ...query })}`;
}

function addKfAccount(accessToken: string, body: unknown, on: Emulator = emulator): Promise<WeChatAnswer> {
	return postJson(withToken(ADD_PATH, accessToken), body, on);
}

function updateKfAccount(accessToken: string, body: unknown): Promise<WeChatAnswer> {
	return postJson(withToken(UPDATE_PATH, accessToken), body);
}

function deleteKfAccount(accessToken: string, kfAccount: string): Promise<WeChatAnswer> {
	return getJson(withToken(DELETE_PATH, accessToken, { kf_account: kfAccount }));
}

function inviteWorker(accessToken: string, body: unknown, on: Emulator = emulator): Promise<WeChatAnswer> {
	return postJson(withToken(INVITE_PATH, accessToken), body, on);
}

async function listKfAccounts(accessToken: string, on: Emulator = emulator): Promise<KfAccount[]> {
	const answer = await getJson(withToken(LIST_PATH, accessToken), on);
	if (!answer.kf_list) throw new Error(`no kf_list: ${JSON.stringify(answer)}`);
	return answer.kf_list;
}

async function kfAccount(accessToken: string, name: string): Promise<KfAccount | undefined> {
	return (await listKfAccounts(accessToken)).find((account) => account.kf_account === name);
}

/** Seconds since the epoch on the emulator's clock, which runs on real time until a test advances it. */
function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
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

	test('force_refresh mints a new token and invalidates the previous one at once (40001)', async () => {
		const old = await stableToken();
		const refreshed = await requestStableToken({ force_refresh: true });
		expect(refreshed).toEqual({ access_token: expect.any(String), expires_in: 7200 });
		expect(refreshed.access_token).not.toBe(old);
		expect(emulator.counters.forceRefreshes).toBe(1);
		expect(emulator.counters.tokensMinted.stable).toBe(2);
		expect(await errcodeForToken(old)).toBe(40001);
		expect(await stableToken()).toBe(refreshed.access_token);
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
				appId: APP_ID,
				kfAccount: KF_ACCOUNT,
				fileName: '客服头像.jpg',
				fileNameRawAscii: false,
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
		const invalid = { errcode: 65401, errmsg: 'invalid custom service account' };
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

describe('kf account management', () => {
	let accessToken: string;
	beforeEach(async () => {
		accessToken = await stableToken();
	});

	describe('add (POST /customservice/kfaccount/add)', () => {
		test('adds the account with the next kf_id and a default avatar, ignoring password, and getkflist shows it', async () => {
			const answer = await addKfAccount(accessToken, {
				kf_account: 'agent3@sandbox_oa',
				nickname: '客服小王',
				password: 'ignored',
			});
			expect(answer).toEqual({ errcode: 0, errmsg: 'ok' });
			const accounts = await listKfAccounts(accessToken);
			expect(accounts.map((account) => account.kf_account)).toEqual([KF_ACCOUNT, OTHER_KF_ACCOUNT, 'agent3@sandbox_oa']);
			expect(accounts[2]).toEqual({
				kf_account: 'agent3@sandbox_oa',
				kf_nick: '客服小王',
				kf_id: 1003,
				kf_headimgurl: expect.stringMatching(/^http:\/\//),
			});
			expect(accounts[2].kf_headimgurl).not.toBe(accounts[1].kf_headimgurl);
		});

		test('answers 47001 to a body that is not a JSON object', async () => {
			for (const body of ['{"kf_account":', '[]', '"agent3@sandbox_oa"', 'null', '']) {
				expect(await addKfAccount(accessToken, body)).toEqual({ errcode: 47001, errmsg: 'data format error' });
			}
			expect(emulator.accounts()).toHaveLength(2);
		});

		test('answers 65404 "illegal custom service account" to a kf_account not of the form prefix@<officialAccountId>', async () => {
			const invalid = { errcode: 65404, errmsg: 'illegal custom service account' };
			for (const kfAccountName of [
				'agent3',
				'agent3@other_oa',
				'agent3@sandbox_oa@sandbox_oa',
				'@sandbox_oa',
				'abcdefghijk@sandbox_oa',
				'agent-3@sandbox_oa',
				'客服@sandbox_oa',
				12345,
				undefined,
			]) {
				expect(await addKfAccount(accessToken, { kf_account: kfAccountName, nickname: 'x' })).toEqual(invalid);
			}
			expect(await addKfAccount(accessToken, { kf_account: 'abcdefghij@sandbox_oa', nickname: 'x' })).toMatchObject({
				errcode: 0,
			});
			expect(await addKfAccount(accessToken, { kf_account: 'A_9@sandbox_oa', nickname: 'x' })).toMatchObject({ errcode: 0 });
		});

		test('officialAccountId sets the WeChat ID new accounts must end with, and the default account', async () => {
			const custom = await startWeChatEmulator({ officialAccountId: 'gh_shop_cs' });
			try {
				const token = await stableToken(custom);
				expect(custom.accounts().map((account) => account.kf_account)).toEqual(['agent1@gh_shop_cs']);
				expect(await addKfAccount(token, { kf_account: 'agent2@gh_shop_cs', nickname: 'x' }, custom)).toMatchObject({
					errcode: 0,
				});
				expect(await addKfAccount(token, { kf_account: 'agent3@sandbox_oa', nickname: 'x' }, custom)).toMatchObject({
					errcode: 65404,
				});
			} finally {
				await custom.close();
			}
			const byDefault = await startWeChatEmulator();
			try {
				expect(byDefault.accounts().map((account) => account.kf_account)).toEqual(['agent1@sandbox_oa']);
			} finally {
				await byDefault.close();
			}
		});

		test('answers 65406 to an account that already exists', async () => {
			expect(await addKfAccount(accessToken, { kf_account: KF_ACCOUNT, nickname: 'again' })).toEqual({
				errcode: 65406,
				errmsg: 'custom service account exists',
			});
			expect(await addKfAccount(accessToken, { kf_account: KF_ACCOUNT, nickname: '' })).toMatchObject({ errcode: 65406 });
			expect((await kfAccount(accessToken, KF_ACCOUNT))?.kf_nick).toBe('agent1');
		});

		test('answers 65403 "illegal nickname" to a nickname that is missing, empty or only spaces', async () => {
			for (const nickname of [undefined, null, 42, '', '   ', '\u3000\t']) {
				expect(await addKfAccount(accessToken, { kf_account: 'agent3@sandbox_oa', nickname })).toEqual({
					errcode: 65403,
					errmsg: 'illegal nickname',
				});
			}
			expect(emulator.accounts()).toHaveLength(2);
		});

		test('answers 65403, never 65404, to a nickname longer than 16 characters, counting Unicode code points', async () => {
			const sixteenChinese = '一二三四五六七八九十甲乙丙丁戊己';
			expect(await addKfAccount(accessToken, { kf_account: 'agent3@sandbox_oa', nickname: `${sixteenChinese}庚` })).toEqual({
				errcode: 65403,
				errmsg: 'illegal nickname',
			});
			expect(await addKfAccount(accessToken, { kf_account: 'agent3@sandbox_oa', nickname: 'a'.repeat(17) })).toMatchObject({
				errcode: 65403,
			});
			expect(await addKfAccount(accessToken, { kf_account: 'agent3@sandbox_oa', nickname: sixteenChinese })).toMatchObject({
				errcode: 0,
			});
			expect(await addKfAccount(accessToken, { kf_account: 'agent4@sandbox_oa', nickname: '😀'.repeat(16) })).toMatchObject({
				errcode: 0,
			});
		});

		test('answers 65405 once maxAccounts accounts exist, 100 by default', async () => {
			const limited = await startWeChatEmulator({ maxAccounts: 2 });
			try {
				const token = await stableToken(limited);
				const add = (name: string) => addKfAccount(token, { kf_account: name, nickname: 'x' }, limited);
				expect(await add('agent2@sandbox_oa')).toMatchObject({ errcode: 0 });
				expect(await add('agent3@sandbox_oa')).toEqual({ errcode: 65405, errmsg: 'custom service account number reach limit' });
				expect(limited.accounts()).toHaveLength(2);
			} finally {
				await limited.close();
			}
			const ninetyNine = Array.from({ length: 99 }, (_, index) => `agent${index}@sandbox_oa`);
			const byDefault = await startWeChatEmulator({ accounts: ninetyNine });
			try {
				const token = await stableToken(byDefault);
				const add = (name: string) => addKfAccount(token, { kf_account: name, nickname: 'x' }, byDefault);
				expect(await add('agent99@sandbox_oa')).toMatchObject({ errcode: 0 });
				expect(await add('agent100@sandbox_oa')).toMatchObject({ errcode: 65405 });
			} finally {
				await byDefault.close();
			}
		});
	});

	describe('update (POST /customservice/kfaccount/update)', () => {
		test('renames the account and leaves the rest of it as it was', async () => {
			const before = await kfAccount(accessToken, OTHER_KF_ACCOUNT);
			expect(await updateKfAccount(accessToken, { kf_account: OTHER_KF_ACCOUNT, nickname: '客服小李' })).toEqual({
				errcode: 0,
				errmsg: 'ok',
			});
			expect(await kfAccount(accessToken, OTHER_KF_ACCOUNT)).toEqual({ ...before, kf_nick: '客服小李' });
			expect((await kfAccount(accessToken, KF_ACCOUNT))?.kf_nick).toBe('agent1');
		});

		test('answers 65401 to an unknown account, and 47001 to a body that is not a JSON object', async () => {
			for (const kfAccountName of ['ghost@sandbox_oa', 'agent1', undefined]) {
				expect(await updateKfAccount(accessToken, { kf_account: kfAccountName, nickname: 'x' })).toEqual({
					errcode: 65401,
					errmsg: 'invalid custom service account',
				});
			}
			expect(await updateKfAccount(accessToken, 'nickname=x')).toMatchObject({ errcode: 47001 });
		});

		test('answers 65403 to a nickname that add would refuse, too long included', async () => {
			for (const nickname of [undefined, '', '  ']) {
				expect(await updateKfAccount(accessToken, { kf_account: KF_ACCOUNT, nickname })).toMatchObject({ errcode: 65403 });
			}
			expect(await updateKfAccount(accessToken, { kf_account: KF_ACCOUNT, nickname: '客'.repeat(17) })).toEqual({
				errcode: 65403,
				errmsg: 'illegal nickname',
			});
			expect((await kfAccount(accessToken, KF_ACCOUNT))?.kf_nick).toBe('agent1');
		});
	});

	describe('delete (GET /customservice/kfaccount/del)', () => {
		test('deletes the account, keeps its uploads recorded, and a new one of that name gets a new kf_id', async () => {
			await uploadAvatar(avatarForm(tinyJpeg()), { accessToken, kfAccount: OTHER_KF_ACCOUNT });
			expect(await deleteKfAccount(accessToken, OTHER_KF_ACCOUNT)).toEqual({ errcode: 0, errmsg: 'ok' });
			expect((await listKfAccounts(accessToken)).map((account) => account.kf_account)).toEqual([KF_ACCOUNT]);
			expect(emulator.uploads).toEqual([expect.objectContaining({ kfAccount: OTHER_KF_ACCOUNT })]);
			await addKfAccount(accessToken, { kf_account: OTHER_KF_ACCOUNT, nickname: 'back' });
			expect((await kfAccount(accessToken, OTHER_KF_ACCOUNT))?.kf_id).toBe(1003);
		});

		test('answers 65401 to a kf_account that is unknown, missing or repeated', async () => {
			const invalid = { errcode: 65401, errmsg: 'invalid custom service account' };
			expect(await deleteKfAccount(accessToken, 'ghost@sandbox_oa')).toEqual(invalid);
			expect(await getJson(withToken(DELETE_PATH, accessToken))).toEqual(invalid);
			const repeated = new URLSearchParams({ access_token: accessToken, kf_account: KF_ACCOUNT });
			repeated.append('kf_account', KF_ACCOUNT);
			expect(await getJson(`${DELETE_PATH}?${repeated}`)).toEqual(invalid);
			expect(emulator.accounts()).toHaveLength(2);
		});

		test('a deleted account cannot receive an avatar any more (65401)', async () => {
			await deleteKfAccount(accessToken, KF_ACCOUNT);
			expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken, kfAccount: KF_ACCOUNT })).toEqual({
				errcode: 65401,
				errmsg: 'invalid custom service account',
			});
			expect(emulator.uploads).toHaveLength(0);
		});
	});

	describe('invite a worker (POST /customservice/kfaccount/inviteworker)', () => {
		const invite = (inviteWx: unknown, kfAccountName: unknown = KF_ACCOUNT) =>
			inviteWorker(accessToken, { kf_account: kfAccountName, invite_wx: inviteWx });

		test('records a waiting invitation expiring in 7 days, which getkflist shows', async () => {
			const sentFrom = nowSeconds();
			expect(await invite('wang_xiaoming')).toEqual({ errcode: 0, errmsg: 'ok' });
			const invited = await kfAccount(accessToken, KF_ACCOUNT);
			expect(invited).toMatchObject({ invite_wx: 'wang_xiaoming', invite_status: 'waiting' });
			expect(invited?.invite_expire_time).toBeGreaterThanOrEqual(sentFrom + SEVEN_DAYS_IN_SECONDS);
			expect(invited?.invite_expire_time).toBeLessThanOrEqual(nowSeconds() + SEVEN_DAYS_IN_SECONDS);
			expect(invited).not.toHaveProperty('kf_wx');
			expect(await kfAccount(accessToken, OTHER_KF_ACCOUNT)).not.toHaveProperty('invite_wx');
		});

		test('answers 65401 to an unknown account', async () => {
			expect(await invite('wang_xiaoming', 'ghost@sandbox_oa')).toEqual({ errcode: 65401, errmsg: 'invalid custom service account' });
			expect(await inviteWorker(accessToken, { invite_wx: 'wang_xiaoming' })).toMatchObject({ errcode: 65401 });
		});

		test('answers 65409 to an invite_wx that is not a valid WeChat ID', async () => {
			const notWeChatIds = ['abcde', 'a'.repeat(21), '1abcdef', '_abcdef', 'abc.def', 'abc def', '王小明abc', '', 123];
			for (const inviteWx of [...notWeChatIds, undefined]) {
				expect(await invite(inviteWx)).toEqual({ errcode: 65409, errmsg: 'wechat account invalid' });
			}
			expect(await invite('a-b_c1')).toMatchObject({ errcode: 0 });
			expect(await invite(`Z${'9'.repeat(19)}`, OTHER_KF_ACCOUNT)).toMatchObject({ errcode: 0 });
		});

		test('acceptInvitation binds the invitee: getkflist shows kf_wx and no invitation', async () => {
			await invite('wang_xiaoming');
			emulator.acceptInvitation(KF_ACCOUNT);
			const bound = await kfAccount(accessToken, KF_ACCOUNT);
			expect(bound).toMatchObject({ kf_account: KF_ACCOUNT, kf_wx: 'wang_xiaoming' });
			expect(Object.keys(bound!).filter((key) => key.startsWith('invite_'))).toEqual([]);
		});

		test('answers 65412 "have been bound by a wechat user" when the kf account is already bound to another user', async () => {
			await invite('wang_xiaoming');
			emulator.acceptInvitation(KF_ACCOUNT);
			expect(await invite('li_xiaohong')).toEqual({
				errcode: 65412,
				errmsg: 'the custom service account have been bound by a wechat user',
			});
			expect((await kfAccount(accessToken, KF_ACCOUNT))?.kf_wx).toBe('wang_xiaoming');
		});

		test('answers 65407 to inviting the very user the kf account is bound to', async () => {
			await invite('wang_xiaoming');
			emulator.acceptInvitation(KF_ACCOUNT);
			expect(await invite('wang_xiaoming')).toMatchObject({ errcode: 65407 });
		});

		test('answers 65407 "one of your workers" when the invitee is bound to any kf account of this Official Account', async () => {
			await invite('wang_xiaoming');
			emulator.acceptInvitation(KF_ACCOUNT);
			expect(await invite('wang_xiaoming', OTHER_KF_ACCOUNT)).toEqual({
				errcode: 65407,
				errmsg: 'the wechat user have been one of your workers',
			});
			expect(await kfAccount(accessToken, OTHER_KF_ACCOUNT)).not.toHaveProperty('invite_wx');
			expect(await invite('li_xiaohong', OTHER_KF_ACCOUNT)).toEqual({ errcode: 0, errmsg: 'ok' });
		});

		test('answers 65408 when an invitation to that WeChat user is already waiting', async () => {
			await invite('wang_xiaoming');
			expect(await invite('wang_xiaoming')).toMatchObject({ errcode: 65408 });
		});

		test('answers 65411 when an invitation to another WeChat user is waiting', async () => {
			await invite('wang_xiaoming');
			expect(await invite('li_xiaohong')).toMatchObject({ errcode: 65411 });
			expect((await kfAccount(accessToken, KF_ACCOUNT))?.invite_wx).toBe('wang_xiaoming');
		});

		test('answers 65410 to a WeChat user listed in saturatedWeChatIds', async () => {
			const saturated = await startWeChatEmulator({ saturatedWeChatIds: ['busy_agent'] });
			try {
				const token = await stableToken(saturated);
				const inviteThere = (inviteWx: string) =>
					inviteWorker(token, { kf_account: 'agent1@sandbox_oa', invite_wx: inviteWx }, saturated);
				expect(await inviteThere('busy_agent')).toMatchObject({ errcode: 65410 });
				expect(await inviteThere('free_agent')).toMatchObject({ errcode: 0 });
			} finally {
				await saturated.close();
			}
		});

		test('refuseInvitation marks it rejected, and a refused invitation blocks no new one, to the same user or another', async () => {
			await invite('wang_xiaoming');
			emulator.refuseInvitation(KF_ACCOUNT);
			expect(await kfAccount(accessToken, KF_ACCOUNT)).toMatchObject({
				invite_wx: 'wang_xiaoming',
				invite_status: 'rejected',
			});
			expect(await invite('wang_xiaoming')).toEqual({ errcode: 0, errmsg: 'ok' });
			expect(await kfAccount(accessToken, KF_ACCOUNT)).toMatchObject({ invite_wx: 'wang_xiaoming', invite_status: 'waiting' });
			emulator.refuseInvitation(KF_ACCOUNT);
			expect(await invite('li_xiaohong')).toEqual({ errcode: 0, errmsg: 'ok' });
			expect(await kfAccount(accessToken, KF_ACCOUNT)).toMatchObject({ invite_wx: 'li_xiaohong', invite_status: 'waiting' });
		});

		test('an invitation not answered within 7 days is listed as expired and may be sent again', async () => {
			await invite('wang_xiaoming');
			// Two seconds short, as the invitation may have been sent late in a second.
			emulator.advanceClock(SEVEN_DAYS_IN_SECONDS - 2);
			expect(emulator.accounts()[0].invite_status).toBe('waiting');
			emulator.advanceClock(2);
			accessToken = await stableToken();
			expect((await kfAccount(accessToken, KF_ACCOUNT))?.invite_status).toBe('expired');
			expect(() => emulator.acceptInvitation(KF_ACCOUNT)).toThrow(/no waiting invitation/);
			expect(await invite('wang_xiaoming')).toMatchObject({ errcode: 0 });
			expect(emulator.accounts()[0].invite_status).toBe('waiting');
		});

		test('acceptInvitation and refuseInvitation throw when no invitation is waiting or the account is unknown', async () => {
			expect(() => emulator.acceptInvitation(KF_ACCOUNT)).toThrow(/no waiting invitation/);
			await invite('wang_xiaoming');
			emulator.refuseInvitation(KF_ACCOUNT);
			expect(() => emulator.refuseInvitation(KF_ACCOUNT)).toThrow(/no waiting invitation/);
			expect(() => emulator.acceptInvitation('ghost@sandbox_oa')).toThrow(/no kf account/);
		});
	});

	describe('online list (GET /cgi-bin/customservice/getonlinekflist)', () => {
		const listOnline = () => getJson(withToken(ONLINE_LIST_PATH, accessToken));

		test('lists the accounts set online, in account order, until setOffline or deletion', async () => {
			expect(await listOnline()).toEqual({ kf_online_list: [] });
			emulator.setOnline(OTHER_KF_ACCOUNT, { status: 3, acceptedCase: 2 });
			emulator.setOnline(KF_ACCOUNT);
			expect(await listOnline()).toEqual({
				kf_online_list: [
					{ kf_account: KF_ACCOUNT, status: 1, kf_id: 1001, accepted_case: 0 },
					{ kf_account: OTHER_KF_ACCOUNT, status: 3, kf_id: 1002, accepted_case: 2 },
				],
			});
			emulator.setOffline(KF_ACCOUNT);
			expect((await listOnline()).kf_online_list?.map((account) => account.kf_account)).toEqual([OTHER_KF_ACCOUNT]);
			await deleteKfAccount(accessToken, OTHER_KF_ACCOUNT);
			expect(await listOnline()).toEqual({ kf_online_list: [] });
		});

		test('setOnline and setOffline refuse an unknown account, a status other than 1-3 and a bad acceptedCase', () => {
			expect(() => emulator.setOnline('ghost@sandbox_oa')).toThrow(/no kf account/);
			expect(() => emulator.setOffline('ghost@sandbox_oa')).toThrow(/no kf account/);
			expect(() => emulator.setOnline(KF_ACCOUNT, { status: 0 })).toThrow(/status/);
			expect(() => emulator.setOnline(KF_ACCOUNT, { acceptedCase: -1 })).toThrow(/acceptedCase/);
		});
	});

	test('emulator.accounts() is a copy of the list as getkflist shows it', async () => {
		await inviteWorker(accessToken, { kf_account: OTHER_KF_ACCOUNT, invite_wx: 'wang_xiaoming' });
		const accounts = emulator.accounts();
		expect(accounts).toEqual(await listKfAccounts(accessToken));
		accounts[0].kf_nick = 'changed';
		accounts.pop();
		expect(emulator.accounts()).toEqual(await listKfAccounts(accessToken));
		expect(emulator.accounts()[0].kf_nick).toBe('agent1');
	});

	test('the account endpoints check the access token first (41001, 40001, 42001)', async () => {
		const endpoints: Array<[string, 'GET' | 'POST']> = [
			[ADD_PATH, 'POST'],
			[UPDATE_PATH, 'POST'],
			[DELETE_PATH, 'GET'],
			[INVITE_PATH, 'POST'],
			[ONLINE_LIST_PATH, 'GET'],
		];
		const call = async (apiPath: string, method: 'GET' | 'POST', query: string) => {
			const body = method === 'POST' ? 'not json' : undefined;
			const response = await fetch(`${emulator.baseUrl}${apiPath}?kf_account=ghost${query}`, { method, body });
			return (await response.json()) as WeChatAnswer;
		};
		for (const [apiPath, method] of endpoints) {
			expect(await call(apiPath, method, '')).toEqual({ errcode: 41001, errmsg: 'access_token missing' });
			expect(await call(apiPath, method, '&access_token=made-up')).toMatchObject({ errcode: 40001 });
		}
		emulator.expireAllTokens();
		for (const [apiPath, method] of endpoints) {
			expect(await call(apiPath, method, `&access_token=${accessToken}`)).toMatchObject({ errcode: 42001 });
		}
		expect(emulator.accounts()).toHaveLength(2);
	});

	test('the account endpoints answer 43002 or 43001 to the wrong method', async () => {
		expect(await getJson(withToken(ADD_PATH, accessToken))).toMatchObject({ errcode: 43002 });
		expect(await getJson(withToken(UPDATE_PATH, accessToken))).toMatchObject({ errcode: 43002 });
		expect(await getJson(withToken(INVITE_PATH, accessToken))).toMatchObject({ errcode: 43002 });
		expect(await postJson(withToken(DELETE_PATH, accessToken, { kf_account: KF_ACCOUNT }), {})).toMatchObject({
			errcode: 43001,
		});
		expect(await postJson(withToken(ONLINE_LIST_PATH, accessToken), {})).toMatchObject({ errcode: 43001 });
		expect(emulator.accounts()).toHaveLength(2);
	});

	test('the account endpoints are counted in apiCalls and faults hit them like any path', async () => {
		const calls = () => [
			addKfAccount(accessToken, { kf_account: 'agent3@sandbox_oa', nickname: 'x' }),
			updateKfAccount(accessToken, { kf_account: KF_ACCOUNT, nickname: 'renamed' }),
			inviteWorker(accessToken, { kf_account: KF_ACCOUNT, invite_wx: 'wang_xiaoming' }),
			getJson(withToken(ONLINE_LIST_PATH, accessToken)),
			deleteKfAccount(accessToken, OTHER_KF_ACCOUNT),
		];
		const paths = [ADD_PATH, UPDATE_PATH, INVITE_PATH, ONLINE_LIST_PATH, DELETE_PATH];
		for (const apiPath of paths) emulator.inject({ kind: 'busy', path: apiPath });
		for (const answer of await Promise.all(calls())) expect(answer).toEqual({ errcode: -1, errmsg: 'system error' });
		expect(emulator.accounts().map((account) => [account.kf_account, account.kf_nick])).toEqual([
			[KF_ACCOUNT, 'agent1'],
			[OTHER_KF_ACCOUNT, 'agent2'],
		]);
		for (const answer of await Promise.all(calls())) expect(answer.errcode ?? 0).toBe(0);
		for (const apiPath of paths) expect(emulator.counters.apiCalls[apiPath]).toBe(2);
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

	test('20 parallel adds of distinct accounts all land with distinct kf_ids', async () => {
		const accessToken = await stableToken();
		const names = Array.from({ length: 20 }, (_, index) => `para${index}@sandbox_oa`);
		const answers = await Promise.all(
			names.map((name, index) => addKfAccount(accessToken, { kf_account: name, nickname: `并发${index}` })),
		);
		expect(answers.every((answer) => answer.errcode === 0)).toBe(true);
		const added = (await listKfAccounts(accessToken)).filter((account) => names.includes(account.kf_account));
		expect(added.map((account) => account.kf_account).sort()).toEqual([...names].sort());
		expect(new Set(added.map((account) => account.kf_id)).size).toBe(20);
		expect(added.every((account) => account.kf_id > 1002)).toBe(true);
		expect(emulator.counters.apiCalls[ADD_PATH]).toBe(20);
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

	test('GET /__emulator/state also shows the accounts as getkflist and getonlinekflist list them', async () => {
		const accessToken = await stableToken();
		await inviteWorker(accessToken, { kf_account: KF_ACCOUNT, invite_wx: 'wang_xiaoming' });
		emulator.setOnline(OTHER_KF_ACCOUNT, { status: 2, acceptedCase: 1 });
		const state = await getJson<StateSnapshot>('/__emulator/state');
		expect(state.kfList).toEqual(await listKfAccounts(accessToken));
		expect(state.kfList[0]).toMatchObject({ invite_wx: 'wang_xiaoming', invite_status: 'waiting' });
		expect(state.kfOnlineList).toEqual([{ kf_account: OTHER_KF_ACCOUNT, status: 2, kf_id: 1002, accepted_case: 1 }]);
	});

	test('POST /__emulator/accept-invitation and refuse-invitation play the invitee, 400 when none is waiting', async () => {
		const accessToken = await stableToken();
		await inviteWorker(accessToken, { kf_account: KF_ACCOUNT, invite_wx: 'wang_xiaoming' });
		await inviteWorker(accessToken, { kf_account: OTHER_KF_ACCOUNT, invite_wx: 'li_xiaohong' });
		expect(await postJson('/__emulator/accept-invitation', { kf_account: KF_ACCOUNT })).toEqual({ ok: true });
		expect(await postJson('/__emulator/refuse-invitation', { kf_account: OTHER_KF_ACCOUNT })).toEqual({ ok: true });
		const [bound, refused] = emulator.accounts();
		expect(bound.kf_wx).toBe('wang_xiaoming');
		expect(refused).toMatchObject({ invite_wx: 'li_xiaohong', invite_status: 'rejected' });
		const again = await fetch(`${emulator.baseUrl}/__emulator/accept-invitation`, {
			method: 'POST',
			body: JSON.stringify({ kf_account: KF_ACCOUNT }),
		});
		expect(again.status).toBe(400);
		expect(await again.json()).toEqual({ ok: false, error: expect.stringMatching(/no waiting invitation/) });
	});

	test('POST /__emulator/set-online and set-offline change getonlinekflist, 400 for an unknown account', async () => {
		const accessToken = await stableToken();
		const online = async () => (await getJson(withToken(ONLINE_LIST_PATH, accessToken))).kf_online_list;
		expect(await postJson('/__emulator/set-online', { kf_account: KF_ACCOUNT })).toEqual({ ok: true });
		await postJson('/__emulator/set-online', { kf_account: OTHER_KF_ACCOUNT, status: 3, accepted_case: 4 });
		expect(await online()).toEqual([
			{ kf_account: KF_ACCOUNT, status: 1, kf_id: 1001, accepted_case: 0 },
			{ kf_account: OTHER_KF_ACCOUNT, status: 3, kf_id: 1002, accepted_case: 4 },
		]);
		expect(await postJson('/__emulator/set-offline', { kf_account: KF_ACCOUNT })).toEqual({ ok: true });
		expect((await online())?.map((account) => account.kf_account)).toEqual([OTHER_KF_ACCOUNT]);
		const unknown = await fetch(`${emulator.baseUrl}/__emulator/set-online`, {
			method: 'POST',
			body: JSON.stringify({ kf_account: 'ghost@sandbox_oa' }),
		});
		expect(unknown.status).toBe(400);
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
			tokenRequestsByAppId: { [APP_ID]: { classic: 0, stable: 0 } },
			tokensMintedByAppId: { [APP_ID]: { classic: 0, stable: 0 } },
			forceRefreshes: 0,
			forceRefreshesIgnored: 0,
			apiCalls: {},
			uploads: 0,
			uploadsInFlightPeak: 0,
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
	/** Runs cli.js with the flags; resolves once it has printed its first line. */
	async function startCli(flags: string[]) {
		const child = spawn(process.execPath, [path.join(__dirname, 'emulator', 'cli.js'), '--port', '0', ...flags], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		const [firstLine] = await Promise.race([
			createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((line) => [line.value as string]),
			exited.then((code) => {
				throw new Error(`cli exited early with ${code}`);
			}),
		]);
		return { child, exited, started: JSON.parse(firstLine) as { baseUrl: string; appId: string; appSecret: string } };
	}

	test('prints its base URL and credentials as one JSON line, serves, and exits on SIGTERM', async () => {
		const { child, exited, started } = await startCli(
			['--accounts', 'a@b,c@d', '--app-id', 'wxcli', '--app-secret', 's3cret'],
		);
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

	test('--official-account-id and --max-accounts set the WeChat ID accounts end with and their limit', async () => {
		const { child, exited, started } = await startCli(['--official-account-id', 'gh_cli', '--max-accounts', '2']);
		try {
			const state = (await (await fetch(`${started.baseUrl}/__emulator/state`)).json()) as { accounts: string[] };
			expect(state.accounts).toEqual(['agent1@gh_cli']);
			const token = await fetch(`${started.baseUrl}/cgi-bin/stable_token`, {
				method: 'POST',
				body: JSON.stringify({ grant_type: 'client_credential', appid: started.appId, secret: started.appSecret }),
			}).then((response) => response.json() as Promise<{ access_token: string }>);
			const add = (name: string) =>
				fetch(`${started.baseUrl}${withToken(ADD_PATH, token.access_token)}`, {
					method: 'POST',
					body: JSON.stringify({ kf_account: name, nickname: 'x' }),
				}).then((response) => response.json() as Promise<WeChatAnswer>);
			expect(await add('agent2@sandbox_oa')).toMatchObject({ errcode: 65404 });
			expect(await add('agent2@gh_cli')).toMatchObject({ errcode: 0 });
			expect(await add('agent3@gh_cli')).toMatchObject({ errcode: 65405 });
		} finally {
			child.kill('SIGTERM');
			await exited;
		}
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

describe('several Official Accounts (apps option)', () => {
	const APP_B = {
		appId: 'wx00000000000000bb',
		appSecret: 'app-b-secret-0123456789abcdef012',
		officialAccountId: 'shop_b',
		accounts: ['agent1@shop_b', 'only_b@shop_b'],
	};
	let twoApps: Emulator;
	beforeEach(async () => {
		twoApps = await startWeChatEmulator({ accounts: [KF_ACCOUNT, 'only_a@sandbox_oa'], apps: [APP_B] });
	});
	afterEach(async () => {
		await twoApps.close();
	});

	const tokenOfA = () => stableToken(twoApps);
	async function tokenOfB(): Promise<string> {
		const answer = await requestStableToken({ appid: APP_B.appId, secret: APP_B.appSecret }, twoApps);
		if (!answer.access_token) throw new Error(`no token: ${JSON.stringify(answer)}`);
		return answer.access_token;
	}

	test('emulator.apps lists every Official Account, the default one first', () => {
		expect(twoApps.apps).toEqual([
			{ appId: APP_ID, appSecret: APP_SECRET },
			{ appId: APP_B.appId, appSecret: APP_B.appSecret },
		]);
		expect(twoApps.appId).toBe(APP_ID);
	});

	test('a token acts on the kf accounts of the app that minted it', async () => {
		const [tokenA, tokenB] = [await tokenOfA(), await tokenOfB()];
		expect((await listKfAccounts(tokenA, twoApps)).map((account) => account.kf_account)).toEqual([
			KF_ACCOUNT,
			'only_a@sandbox_oa',
		]);
		expect((await listKfAccounts(tokenB, twoApps)).map((account) => account.kf_account)).toEqual(APP_B.accounts);
		expect(await addKfAccount(tokenB, { kf_account: 'agent2@shop_b', nickname: 'b' }, twoApps)).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect(await addKfAccount(tokenA, { kf_account: 'agent2@shop_b', nickname: 'a' }, twoApps)).toMatchObject({
			errcode: 65404,
		});
		expect(twoApps.accounts(APP_B.appId).map((account) => account.kf_account)).toContain('agent2@shop_b');
		expect(twoApps.accounts().map((account) => account.kf_account)).not.toContain('agent2@shop_b');
	});

	test('an upload with app A\'s token for an account only app B has answers 65401; each upload records its appId', async () => {
		const [tokenA, tokenB] = [await tokenOfA(), await tokenOfB()];
		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken: tokenA, kfAccount: 'only_b@shop_b' }, twoApps)).toEqual({
			errcode: 65401,
			errmsg: 'invalid custom service account',
		});
		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken: tokenB, kfAccount: 'only_b@shop_b' }, twoApps)).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken: tokenA, kfAccount: KF_ACCOUNT }, twoApps)).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect(twoApps.uploads.map((upload) => [upload.appId, upload.kfAccount])).toEqual([
			[APP_B.appId, 'only_b@shop_b'],
			[APP_ID, KF_ACCOUNT],
		]);
		const state = await getJson<StateSnapshot>('/__emulator/state', twoApps);
		expect(state.uploads.map((upload) => upload.appId)).toEqual([APP_B.appId, APP_ID]);
	});

	test('a token request is checked against the app its appid names: that app\'s secret, 40013 when no app has it', async () => {
		const wrongSecret = { errcode: 40125, errmsg: 'invalid appsecret' };
		expect(await requestClassicToken({ appId: APP_B.appId, secret: APP_SECRET }, twoApps)).toEqual(wrongSecret);
		expect(await requestStableToken({ appid: APP_B.appId, secret: APP_SECRET }, twoApps)).toEqual(wrongSecret);
		expect(await requestClassicToken({ appId: 'wx000000000000cccc' }, twoApps)).toEqual({
			errcode: 40013,
			errmsg: 'invalid appid',
		});
		expect(await requestClassicToken({ appId: APP_B.appId, secret: APP_B.appSecret }, twoApps)).toMatchObject({
			expires_in: 7200,
		});
	});

	test('each app has its own classic and stable tokens: minting or forcing for one leaves the other\'s alone', async () => {
		const classicA = (await requestClassicToken({}, twoApps)).access_token!;
		const stableA = await tokenOfA();
		const stableB = await tokenOfB();
		expect(stableB).not.toBe(stableA);
		await requestClassicToken({ appId: APP_B.appId, secret: APP_B.appSecret }, twoApps);
		await requestStableToken({ appid: APP_B.appId, secret: APP_B.appSecret, force_refresh: true }, twoApps);
		twoApps.advanceClock(301);
		const accepted = async (token: string) => (await getJson(withToken(LIST_PATH, token), twoApps)).errcode ?? 0;
		expect(await accepted(classicA)).toBe(0);
		expect(await accepted(stableA)).toBe(0);
		expect(await accepted(stableB)).toBe(40001);
		expect(await tokenOfA()).toBe(stableA);
	});

	test('counters count token requests and mints per AppID, besides the totals', async () => {
		await tokenOfA();
		await tokenOfA();
		await tokenOfB();
		await requestClassicToken({ appId: APP_B.appId, secret: APP_B.appSecret }, twoApps);
		await requestClassicToken({ appId: APP_B.appId, secret: 'wrong' }, twoApps);
		await requestClassicToken({ appId: 'wx000000000000cccc' }, twoApps);
		expect(twoApps.counters.tokenRequests).toEqual({ classic: 3, stable: 3 });
		expect(twoApps.counters.tokensMinted).toEqual({ classic: 1, stable: 2 });
		expect(twoApps.counters.tokenRequestsByAppId).toEqual({
			[APP_ID]: { classic: 0, stable: 2 },
			[APP_B.appId]: { classic: 2, stable: 1 },
		});
		expect(twoApps.counters.tokensMintedByAppId).toEqual({
			[APP_ID]: { classic: 0, stable: 1 },
			[APP_B.appId]: { classic: 1, stable: 1 },
		});
		twoApps.resetCounters();
		expect(twoApps.counters.tokenRequestsByAppId[APP_B.appId]).toEqual({ classic: 0, stable: 0 });
	});

	test('mintedTokens(appId) lists one app\'s tokens, mintedTokens() every app\'s; accounts(appId) one app\'s accounts', async () => {
		const tokenA = await tokenOfA();
		const tokenB = await tokenOfB();
		expect(twoApps.mintedTokens(APP_ID)).toEqual([tokenA]);
		expect(twoApps.mintedTokens(APP_B.appId)).toEqual([tokenB]);
		expect(twoApps.mintedTokens()).toEqual([tokenA, tokenB]);
		expect(twoApps.accounts(APP_B.appId).map((account) => account.kf_account)).toEqual(APP_B.accounts);
		expect(() => twoApps.accounts('wx000000000000cccc')).toThrow(/no app/);
	});

	test('expireAllTokens and invalidateAllTokens act on every app', async () => {
		const tokenB = await tokenOfB();
		twoApps.expireAllTokens();
		expect(await getJson(withToken(LIST_PATH, tokenB), twoApps)).toMatchObject({ errcode: 42001 });
		const freshB = await tokenOfB();
		twoApps.invalidateAllTokens();
		expect(await getJson(withToken(LIST_PATH, freshB), twoApps)).toMatchObject({ errcode: 40001 });
	});

	test('the kf account controls find the account in whichever app has it', async () => {
		const tokenB = await tokenOfB();
		await inviteWorker(tokenB, { kf_account: 'only_b@shop_b', invite_wx: 'wang_xiaoming' }, twoApps);
		twoApps.acceptInvitation('only_b@shop_b');
		twoApps.setOnline('only_b@shop_b', { status: 2 });
		expect(twoApps.accounts(APP_B.appId)[1]).toMatchObject({ kf_wx: 'wang_xiaoming' });
		expect(await getJson(withToken(ONLINE_LIST_PATH, tokenB), twoApps)).toEqual({
			kf_online_list: [{ kf_account: 'only_b@shop_b', status: 2, kf_id: 1002, accepted_case: 0 }],
		});
		expect(() => twoApps.setOnline('ghost@shop_b')).toThrow(/no kf account/);
	});

	test('an app without officialAccountId or accounts gets sandbox_oa<n> and agent1@ it; bad apps are refused', async () => {
		const defaults = await startWeChatEmulator({ apps: [{ appId: 'wxb', appSecret: 'b' }, { appId: 'wxc', appSecret: 'c' }] });
		try {
			expect(defaults.accounts('wxb').map((account) => account.kf_account)).toEqual(['agent1@sandbox_oa2']);
			expect(defaults.accounts('wxc').map((account) => account.kf_account)).toEqual(['agent1@sandbox_oa3']);
		} finally {
			await defaults.close();
		}
		await expect(startWeChatEmulator({ apps: [{ appId: APP_ID, appSecret: 'x' }] })).rejects.toThrow(/given twice/);
		await expect(startWeChatEmulator({ apps: [{ appId: 'wxb', appSecret: '' }] })).rejects.toThrow(/appSecret/);
	});
});

describe('stable token rules (getStableAccessToken)', () => {
	test('normal mode hands the current token out until its last 5 minutes, then mints a new one', async () => {
		const first = await stableToken();
		emulator.advanceClock(6900);
		expect(await requestStableToken()).toEqual({ access_token: first, expires_in: 300 });
		emulator.advanceClock(1);
		const renewed = await requestStableToken();
		expect(renewed).toEqual({ access_token: expect.any(String), expires_in: 7200 });
		expect(renewed.access_token).not.toBe(first);
		expect(emulator.counters.tokensMinted.stable).toBe(2);
		expect(emulator.counters.forceRefreshes).toBe(0);
		expect(await stableToken()).toBe(renewed.access_token);
	});

	test('the token renewed in its last 5 minutes stays valid until its own expiry, then answers 42001', async () => {
		const first = await stableToken();
		emulator.advanceClock(7000);
		const renewed = await stableToken();
		expect(renewed).not.toBe(first);
		emulator.advanceClock(198);
		expect(await errcodeForToken(first)).toBe(0);
		emulator.advanceClock(2);
		expect(await errcodeForToken(first)).toBe(42001);
		expect(await errcodeForToken(renewed)).toBe(0);
	});

	test('every normal-mode answer has expires_in >= 300', async () => {
		for (let elapsed = 0; elapsed < 3 * 7200; elapsed += 97) {
			const answer = await requestStableToken();
			expect(answer.expires_in).toBeGreaterThanOrEqual(300);
			emulator.advanceClock(97);
		}
	});

	test('force_refresh less than 30 s after the last forced refresh refreshes nothing and answers the current token', async () => {
		const forced = (await requestStableToken({ force_refresh: true })).access_token!;
		emulator.advanceClock(29);
		expect(await requestStableToken({ force_refresh: true })).toEqual({ access_token: forced, expires_in: 7171 });
		expect(emulator.counters.forceRefreshes).toBe(1);
		expect(emulator.counters.forceRefreshesIgnored).toBe(1);
		expect(await errcodeForToken(forced)).toBe(0);
		emulator.advanceClock(1);
		const refreshed = (await requestStableToken({ force_refresh: true })).access_token!;
		expect(refreshed).not.toBe(forced);
		expect(emulator.counters.forceRefreshes).toBe(2);
		expect(await errcodeForToken(forced)).toBe(40001);
	});

	test('force_refresh works 20 times a day per AppID; the 21st answers 45009 until the next day in China', async () => {
		const dayMs = 24 * 60 * 60 * 1000;
		const chinaOffsetMs = 8 * 60 * 60 * 1000;
		const untilNextChinaMidnight = (nowMs: number) =>
			(Math.ceil((nowMs + chinaOffsetMs) / dayMs) * dayMs - chinaOffsetMs - nowMs) / 1000;
		let offsetSeconds = untilNextChinaMidnight(Date.now()) + 1;
		emulator.advanceClock(offsetSeconds);
		for (let refresh = 0; refresh < 20; refresh += 1) {
			expect(await requestStableToken({ force_refresh: true })).toMatchObject({ expires_in: 7200 });
			emulator.advanceClock(30);
			offsetSeconds += 30;
		}
		expect(emulator.counters.forceRefreshes).toBe(20);
		const current = await stableToken();
		expect(await requestStableToken({ force_refresh: true })).toEqual({
			errcode: 45009,
			errmsg: 'reach max api daily quota limit',
		});
		expect(await errcodeForToken(current)).toBe(0);
		expect(await stableToken()).toBe(current);
		emulator.advanceClock(untilNextChinaMidnight(Date.now() + offsetSeconds * 1000) + 1);
		expect(await requestStableToken({ force_refresh: true })).toMatchObject({ expires_in: 7200 });
		expect(emulator.counters.forceRefreshes).toBe(21);
	});

	test('the daily force_refresh limit is per AppID', async () => {
		const twoApps = await startWeChatEmulator({ apps: [{ appId: 'wxb', appSecret: 'b' }] });
		try {
			for (let refresh = 0; refresh < 21; refresh += 1) {
				await requestStableToken({ force_refresh: true }, twoApps);
				twoApps.advanceClock(30);
			}
			expect(await requestStableToken({ appid: 'wxb', secret: 'b', force_refresh: true }, twoApps)).toMatchObject({
				expires_in: 7200,
			});
		} finally {
			await twoApps.close();
		}
	});
});

describe('wrongSecretErrcode option', () => {
	test('a wrong AppSecret answers 40125 by default and 40001 when wrongSecretErrcode is 40001, on both token endpoints', async () => {
		expect(await requestClassicToken({ secret: 'wrong' })).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
		const strict = await startWeChatEmulator({ wrongSecretErrcode: 40001 });
		try {
			const invalidCredential = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
			expect(await requestClassicToken({ secret: 'wrong' }, strict)).toEqual(invalidCredential);
			expect(await requestStableToken({ secret: 'wrong' }, strict)).toEqual(invalidCredential);
			expect(strict.counters.tokensMinted).toEqual({ classic: 0, stable: 0 });
		} finally {
			await strict.close();
		}
		await expect(startWeChatEmulator({ wrongSecretErrcode: 40013 as never })).rejects.toThrow(/wrongSecretErrcode/);
	});
});

describe('kf_account suffix length', () => {
	test('answers 65404 when the part after @ is longer than 30 characters, even if it is the officialAccountId', async () => {
		const thirty = 'o'.repeat(30);
		const thirtyOne = 'o'.repeat(31);
		for (const [officialAccountId, errcode] of [
			[thirty, 0],
			[thirtyOne, 65404],
		] as const) {
			const started = await startWeChatEmulator({ officialAccountId });
			try {
				const token = await stableToken(started);
				expect(await addKfAccount(token, { kf_account: `agent2@${officialAccountId}`, nickname: 'x' }, started)).toMatchObject({
					errcode,
				});
			} finally {
				await started.close();
			}
		}
	});
});

describe('faults that carry the request out, then lose the answer', () => {
	let accessToken: string;
	beforeEach(async () => {
		accessToken = await stableToken();
	});

	const sendRaw = (apiPath: string, init: RequestInit = {}) =>
		fetch(`${emulator.baseUrl}${apiPath}`, { ...init, signal: AbortSignal.timeout(300) });
	const postRaw = (apiPath: string, body: unknown) => sendRaw(apiPath, { method: 'POST', body: JSON.stringify(body) });

	for (const [kind, lost] of [
		['commitThenReset', 'fetch failed'],
		['commitThenHang', /aborted/],
	] as const) {
		describe(kind, () => {
			test('add: the account is created, and getkflist shows it', async () => {
				emulator.inject({ kind, path: ADD_PATH });
				await expect(postRaw(withToken(ADD_PATH, accessToken), { kf_account: 'agent3@sandbox_oa', nickname: 'x' })).rejects.toThrow(
					lost,
				);
				expect((await kfAccount(accessToken, 'agent3@sandbox_oa'))?.kf_nick).toBe('x');
				expect(await addKfAccount(accessToken, { kf_account: 'agent3@sandbox_oa', nickname: 'x' })).toMatchObject({
					errcode: 65406,
				});
			});

			test('inviteworker: the invitation is sent, and a retry meets 65408', async () => {
				emulator.inject({ kind, path: INVITE_PATH });
				await expect(postRaw(withToken(INVITE_PATH, accessToken), { kf_account: KF_ACCOUNT, invite_wx: 'wang_xiaoming' })).rejects.toThrow(
					lost,
				);
				expect(await kfAccount(accessToken, KF_ACCOUNT)).toMatchObject({ invite_wx: 'wang_xiaoming', invite_status: 'waiting' });
				expect(await inviteWorker(accessToken, { kf_account: KF_ACCOUNT, invite_wx: 'wang_xiaoming' })).toMatchObject({
					errcode: 65408,
				});
			});

			test('del: the account is deleted, and a retry meets 65401', async () => {
				emulator.inject({ kind, path: DELETE_PATH });
				await expect(sendRaw(withToken(DELETE_PATH, accessToken, { kf_account: OTHER_KF_ACCOUNT }))).rejects.toThrow(lost);
				expect(await kfAccount(accessToken, OTHER_KF_ACCOUNT)).toBeUndefined();
				expect(await deleteKfAccount(accessToken, OTHER_KF_ACCOUNT)).toMatchObject({ errcode: 65401 });
			});

			test('uploadheadimg: the avatar is taken and recorded, and the account\'s avatar URL changes', async () => {
				const before = (await kfAccount(accessToken, KF_ACCOUNT))?.kf_headimgurl;
				emulator.inject({ kind });
				await expect(
					fetch(uploadUrl(accessToken), { method: 'POST', body: avatarForm(tinyJpeg()), signal: AbortSignal.timeout(300) }),
				).rejects.toThrow(lost);
				expect(emulator.uploads).toHaveLength(1);
				expect(emulator.counters.uploads).toBe(1);
				expect((await kfAccount(accessToken, KF_ACCOUNT))?.kf_headimgurl).not.toBe(before);
			});
		});
	}

	test('commitThenReset on a token path mints the token it never hands over', async () => {
		emulator.inject({ kind: 'commitThenReset', path: '/cgi-bin/token' });
		await expect(requestClassicToken()).rejects.toThrow('fetch failed');
		expect(emulator.counters.tokensMinted.classic).toBe(1);
		expect(emulator.mintedTokens()).toHaveLength(2);
	});
});

describe('faults for answers a client must not trust or leak', () => {
	test('truncatedTokenAnswer mints the token, then answers its JSON cut inside the access_token value', async () => {
		emulator.inject({ kind: 'truncatedTokenAnswer', path: '/cgi-bin/token' });
		const query = new URLSearchParams({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });
		const response = await fetch(`${emulator.baseUrl}/cgi-bin/token?${query}`);
		expect(response.status).toBe(200);
		const text = await response.text();
		const [minted] = emulator.mintedTokens();
		expect(text.startsWith('{"access_token":"92_')).toBe(true);
		expect(minted.startsWith(text.slice('{"access_token":"'.length))).toBe(true);
		expect(text.length).toBeLessThan(`{"access_token":"${minted}`.length);
		expect(() => JSON.parse(text)).toThrow();
		expect(await errcodeForToken(minted)).toBe(0);
	});

	test('truncatedTokenAnswer on the stable endpoint cuts the current token it hands out again', async () => {
		const current = await stableToken();
		emulator.inject({ kind: 'truncatedTokenAnswer', path: '/cgi-bin/stable_token' });
		const response = await fetch(`${emulator.baseUrl}/cgi-bin/stable_token`, {
			method: 'POST',
			body: JSON.stringify({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET }),
		});
		const text = await response.text();
		expect(text).toBe(`{"access_token":"${current.slice(0, Math.floor(current.length / 2))}`);
		expect(emulator.counters.tokensMinted.stable).toBe(1);
	});

	test('truncatedTokenAnswer is refused on a path that is not a token endpoint', () => {
		expect(() => emulator.inject({ kind: 'truncatedTokenAnswer' })).toThrow(/token/);
	});

	test('proxyErrorEchoingRequest answers HTTP 502 text/plain quoting the request line with its query string', async () => {
		const accessToken = await stableToken();
		emulator.inject({ kind: 'proxyErrorEchoingRequest' });
		const response = await fetch(uploadUrl(accessToken), { method: 'POST', body: avatarForm(tinyJpeg()) });
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
		const page = await response.text();
		const query = new URLSearchParams({ access_token: accessToken, kf_account: KF_ACCOUNT });
		expect(page).toContain(`upstream error for POST ${UPLOAD_PATH}?${query}`);
		expect(page).toContain('name="media"');
		expect(emulator.uploads).toHaveLength(0);
	});

	test('proxyErrorEchoingRequest quotes the first 500 bytes of a JSON body, a secret in it included', async () => {
		emulator.inject({ kind: 'proxyErrorEchoingRequest', path: '/cgi-bin/stable_token' });
		const body = JSON.stringify({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, pad: 'x'.repeat(600) });
		const response = await fetch(`${emulator.baseUrl}/cgi-bin/stable_token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body,
		});
		expect(response.status).toBe(502);
		const page = await response.text();
		expect(page).toContain('upstream error for POST /cgi-bin/stable_token');
		expect(page).toContain(APP_SECRET);
		expect(page).toContain(body.slice(0, 500));
		expect(page).not.toContain(body.slice(0, 501));
		expect(emulator.counters.tokensMinted.stable).toBe(0);
	});

	test('proxyErrorEchoingRequest on the classic token endpoint quotes the secret in the query string', async () => {
		emulator.inject({ kind: 'proxyErrorEchoingRequest', path: '/cgi-bin/token' });
		const query = new URLSearchParams({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });
		const response = await fetch(`${emulator.baseUrl}/cgi-bin/token?${query}`);
		expect(await response.text()).toBe(`upstream error for GET /cgi-bin/token?${query}\n`);
	});

	test('stringErrcode answers HTTP 200 with the errcode as a JSON string', async () => {
		const accessToken = await stableToken();
		emulator.inject({ kind: 'stringErrcode', errcode: 65400 });
		const response = await fetch(uploadUrl(accessToken), { method: 'POST', body: avatarForm(tinyJpeg()) });
		expect(response.status).toBe(200);
		expect(await response.text()).toBe(
			'{"errcode":"65400","errmsg":"please enable new custom service or wait for a while if you have enabled"}',
		);
		emulator.inject({ kind: 'stringErrcode', errcode: -1, errmsg: 'system busy' });
		expect(await uploadAvatar(avatarForm(tinyJpeg()), { accessToken })).toEqual({ errcode: '-1', errmsg: 'system busy' });
		expect(() => emulator.inject({ kind: 'stringErrcode' })).toThrow(/errcode/);
		expect(emulator.uploads).toHaveLength(0);
	});
});

describe('multipart media part as WeChat documents it', () => {
	const BOUNDARY = 'WeChatEmulatorBoundary';

	/** A multipart body with one part whose headers are given exactly as they go on the wire. */
	function rawForm(partHeaders: string[], bytes: Buffer = tinyJpeg()): Buffer {
		return Buffer.concat([
			Buffer.from(`--${BOUNDARY}\r\n${partHeaders.join('\r\n')}\r\n\r\n`, 'utf8'),
			bytes,
			Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
		]);
	}

	async function uploadRaw(partHeaders: string[]): Promise<WeChatAnswer> {
		return uploadAvatar(rawForm(partHeaders), {
			accessToken: await stableToken(),
			headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
		});
	}

	test('answers 40005 to a media part without a Content-Type', async () => {
		expect(await uploadRaw(['Content-Disposition: form-data; name="media"; filename="a.jpg"'])).toEqual({
			errcode: 40005,
			errmsg: 'invalid file type',
		});
		expect(emulator.uploads).toHaveLength(0);
	});

	test('answers 41005 to a media file part without a filename', async () => {
		expect(
			await uploadRaw(['Content-Disposition: form-data; name="media"', 'Content-Type: application/octet-stream']),
		).toEqual({ errcode: 41005, errmsg: 'media data missing' });
		expect(
			await uploadRaw(['Content-Disposition: form-data; name="media"; filename=""', 'Content-Type: image/jpeg']),
		).toMatchObject({ errcode: 41005 });
	});

	test('records the file name exactly as it arrived, and fileNameRawAscii for a plain printable ASCII filename only', async () => {
		const cases: Array<[string, string, boolean]> = [
			['filename="avatar 1.jpg"', 'avatar 1.jpg', true],
			['filename=avatar.jpg', 'avatar.jpg', true],
			['filename="%E5%A4%B4%E5%83%8F.jpg"', '%E5%A4%B4%E5%83%8F.jpg', true],
			['filename="C:\\\\photos\\\\a.jpg"', 'C:\\photos\\a.jpg', true],
			['filename="头像.jpg"', '头像.jpg', false],
			["filename=\"a.jpg\"; filename*=UTF-8''%E5%A4%B4%E5%83%8F.jpg", '头像.jpg', false],
			["filename*=UTF-8''plain.jpg", 'plain.jpg', false],
		];
		for (const [parameters, fileName] of cases) {
			expect(
				await uploadRaw([`Content-Disposition: form-data; name="media"; ${parameters}`, 'Content-Type: image/jpeg']),
			).toEqual({ errcode: 0, errmsg: 'ok' });
			expect(emulator.uploads.at(-1)?.fileName).toBe(fileName);
		}
		expect(emulator.uploads.map((upload) => upload.fileNameRawAscii)).toEqual(cases.map(([, , rawAscii]) => rawAscii));
	});

	test('finds the media part\'s raw headers after text fields and reports them for it alone', async () => {
		const accessToken = await stableToken();
		const body = Buffer.concat([
			Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\n头像 note\r\n`),
			Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="empty"\r\n\r\n\r\n`),
			rawForm(['Content-Disposition: form-data; name="media"; filename="face.jpg"', 'Content-Type: image/jpeg']),
		]);
		expect(
			await uploadAvatar(body, {
				accessToken,
				headers: { 'Content-Type': `multipart/form-data; boundary="${BOUNDARY}"` },
			}),
		).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(emulator.uploads[0]).toMatchObject({ fileName: 'face.jpg', fileNameRawAscii: true, contentType: 'image/jpeg' });
	});
});

describe('latency option (answers as slow as over a real network)', () => {
	const timed = async <T>(work: () => Promise<T>): Promise<number> => {
		const started = performance.now();
		await work();
		return performance.now() - started;
	};

	test('none by default: answers come at once', async () => {
		const accessToken = await stableToken();
		expect(await timed(() => uploadAvatar(avatarForm(tinyJpeg()), { accessToken }))).toBeLessThan(60);
	});

	test('per kind of endpoint, with jitter: uploads 80 ± 30 ms, token requests 40 ms, other calls untouched', async () => {
		const accessToken = await stableToken();
		emulator.setLatency({ upload: { ms: 80, jitterMs: 30 }, token: { ms: 40 } });
		const uploads = await Promise.all(Array.from({ length: 8 }, () => timed(() => uploadAvatar(avatarForm(tinyJpeg()), { accessToken }))));
		const tokenRequest = await timed(() => requestStableToken());
		const list = await timed(() => listKfAccounts(accessToken));

		expect(Math.min(...uploads)).toBeGreaterThanOrEqual(49);
		expect(Math.max(...uploads)).toBeLessThan(110 + 60);
		expect(new Set(uploads.map((ms) => Math.round(ms))).size).toBeGreaterThan(1);
		expect(tokenRequest).toBeGreaterThanOrEqual(39);
		expect(list).toBeLessThan(39);
		// Waits overlap: eight uploads at once take about one latency, not eight.
		expect(Math.max(...uploads)).toBeLessThan(8 * 50);
	});

	test('set over the control API too; a malformed one is refused', async () => {
		const answer = await fetch(`${emulator.baseUrl}/__emulator/latency`, { method: 'POST', body: JSON.stringify({ other: { ms: 50 } }) });
		expect(answer.status).toBe(200);
		const accessToken = await stableToken();
		expect(await timed(() => listKfAccounts(accessToken))).toBeGreaterThanOrEqual(49);
		expect(() => emulator.setLatency({ upload: { ms: -1 } } as never)).toThrow(/ms >= 0/);
		expect(() => emulator.setLatency({ download: { ms: 1 } } as never)).toThrow(/not one of/);
	});
});

describe('uploads in flight', () => {
	test('the counters keep the most uploads received at once; resetting clears it', async () => {
		const accessToken = await stableToken();
		emulator.setLatency({ upload: { ms: 50 } });
		await Promise.all(Array.from({ length: 5 }, () => uploadAvatar(avatarForm(tinyJpeg()), { accessToken })));
		await uploadAvatar(avatarForm(tinyJpeg()), { accessToken });

		expect(emulator.counters.uploadsInFlightPeak).toBe(5);
		emulator.resetCounters();
		expect(emulator.counters.uploadsInFlightPeak).toBe(0);
	});
});
