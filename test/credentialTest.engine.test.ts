import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { WeChatOfficialAccountApi } from '../credentials/WeChatOfficialAccountApi.credentials';
import { errcodeTable } from '../nodes/WeChatCustomerService/errors';
import { startWeChatEmulator } from './emulator';
import { emulatorCredentialData } from './fixtures/credential';
import { runInEngine } from './engine/runWorkflow';

type Emulator = Awaited<ReturnType<typeof startWeChatEmulator>>;

let emulator: Emulator;
beforeEach(async () => {
	emulator = await startWeChatEmulator();
});
afterEach(async () => {
	await emulator.close();
});

const credentialType = new WeChatOfficialAccountApi();

/** What n8n's credential test runs first: preAuthentication, with the engine's own httpRequest helper. */
async function testCredential(overrides: ICredentialDataDecryptedObject = {}) {
	const credentials = { ...emulatorCredentialData(emulator), ...overrides };
	return await runInEngine(async (context) =>
		credentialType.preAuthentication.call({ helpers: { httpRequest: context.helpers.httpRequest } }, credentials),
	);
}

describe('credential test', () => {
	test('fetches a real token from the stable endpoint', async () => {
		const output = await testCredential();

		expect(output.accessToken).toBe(emulator.mintedTokens()[0]);
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 1 });
	});

	test('fetches from the classic endpoint when chosen', async () => {
		await testCredential({ tokenEndpoint: 'classic' });

		expect(emulator.counters.tokenRequests).toEqual({ classic: 1, stable: 0 });
	});

	test('a wrong AppID reports 40013, the fix first: n8n shows the message only behind "More details"', async () => {
		const error: Error = await testCredential({ appId: 'wx0000000000000000' }).catch((caught) => caught);

		expect(error.message.startsWith(`Fix: ${errcodeTable[40013].fix}`)).toBe(true);
		expect(error.message).toContain(`WeChat errcode 40013: ${errcodeTable[40013].meaning}`);
	});

	test('a wrong AppSecret reports 40125 and says to fix the AppSecret, without showing it', async () => {
		const error: Error = await testCredential({ appSecret: 'a-wrong-secret-value' }).catch((caught) => caught);

		expect(error.message).toContain('WeChat errcode 40125');
		expect(error.message).toContain('AppSecret');
		expect(error.message).not.toContain('a-wrong-secret-value');
	});

	test('a wrong AppSecret answered with 40001 (as WeChat documents for /cgi-bin/token) says to fix the AppSecret, not the token', async () => {
		await emulator.close();
		emulator = await startWeChatEmulator({ wrongSecretErrcode: 40001 });
		const error: Error = await testCredential({ tokenEndpoint: 'classic', appSecret: 'a-wrong-secret-value' }).catch((caught) => caught);

		expect(error.message).toContain('WeChat errcode 40001: WeChat refused to issue an access token: the AppSecret is wrong');
		expect(error.message).toContain(`Fix: ${errcodeTable[40125].fix}`);
		expect(error.message).not.toContain('token the workflow gave');
	});

	test("the Test button's message for an errcode after the token puts the fix first, and never says the token works when it was refused", () => {
		const messages = Object.fromEntries(
			(credentialType.test.rules ?? []).map((rule) => [(rule.properties as { value: number }).value, (rule.properties as { message: string }).message]),
		);

		expect(messages[40001]).toMatch(/^Fix: /);
		expect(messages[40001]).not.toMatch(/token works/i);
		expect(messages[48001].startsWith(`Fix: ${errcodeTable[48001].fix}`)).toBe(true);
		expect(messages[45011]).toContain('errcode 45011');
	});

	test('an IP off the whitelist reports 40164 and names the IP to add', async () => {
		emulator.blockCallerIp('203.0.113.7');

		await expect(testCredential()).rejects.toThrow(/^Fix: Add the IP 203\.0\.113\.7 to the IP whitelist.*40164/);
	});

	test.each([89501, 89503, 89506])('IP approval errcode %i says an administrator must act', async (errcode) => {
		emulator.requireIpApproval(errcode);

		await expect(testCredential()).rejects.toThrow(new RegExp(`${errcode}.*administrator`));
	});

	test('an AppID of the wrong form is reported without asking WeChat', async () => {
		await expect(testCredential({ appId: 'my-app' })).rejects.toThrow('"wx" followed by 16 hexadecimal characters');
		expect(emulator.counters.tokenRequests).toEqual({ classic: 0, stable: 0 });
	});

	test('the classic endpoint keeps the AppSecret out of a network error', async () => {
		const baseUrl = emulator.baseUrl;
		await emulator.close();
		const error: Error = await testCredential({ tokenEndpoint: 'classic', baseUrl }).catch((caught) => caught);

		expect(error.message).toContain("Nothing answered at the credential's Base URL");
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain(emulator.appSecret);
	});
});
