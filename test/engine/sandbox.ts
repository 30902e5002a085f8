import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { startWeChatEmulator } from '../emulator';
import { jpegBytes } from '../fixtures/images';
import { emulatorCredentialData } from '../fixtures/credential';
import { Exposure } from './exposure';
import { CREDENTIAL_ID, newCredentialStore, runWorkflow, type InputItem, type OnError, type RunResult } from './runWorkflow';

export const ACCOUNT = 'agent1@sandbox_oa';

export type Emulator = Awaited<ReturnType<typeof startWeChatEmulator>>;

export interface RunStepOptions {
	parameters?: IDataObject;
	onError?: OnError;
	nodeOptions?: IDataObject;
}

/** The emulator on loopback plus a stored credential pointing at it: what each engine test starts from. */
export async function startSandbox(
	emulatorOptions: Parameters<typeof startWeChatEmulator>[0] = {},
	credential: ICredentialDataDecryptedObject = {},
) {
	const emulator = await startWeChatEmulator({
		accounts: [ACCOUNT, 'agent2@sandbox_oa', 'agent3@sandbox_oa'],
		...emulatorOptions,
	});
	const store = newCredentialStore();
	store.put(CREDENTIAL_ID, { ...emulatorCredentialData(emulator), ...credential });
	const runStep = (resource: string, operation: string, items: InputItem[], options: RunStepOptions = {}) =>
		runWorkflow({
			store,
			items,
			onError: options.onError,
			parameters: {
				resource,
				operation,
				options: { retryDelayMs: 5, ...options.nodeOptions },
				...options.parameters,
			},
		});
	/** An operation of the Customer Service Account resource. */
	const run = (operation: string, items: InputItem[], options: RunStepOptions = {}) => runStep('account', operation, items, options);
	/** Avatar > Upload, for ACCOUNT from the binary property "data" unless the parameters say otherwise. */
	const upload = (items: InputItem[], options: RunStepOptions = {}) =>
		runStep('avatar', 'upload', items, {
			...options,
			parameters: { kfAccount: ACCOUNT, binaryPropertyName: 'data', ...options.parameters },
		});
	return { emulator, store, run, upload };
}

export function jpegItem(fileName = 'photo.jpg', json: IDataObject = {}, size = 4096): InputItem {
	return { json, binary: { data: { bytes: jpegBytes(size), fileName, mimeType: 'image/jpeg' } } };
}

export function jpegItems(count: number, json: (index: number) => IDataObject = () => ({})): InputItem[] {
	return Array.from({ length: count }, (_, index) => jpegItem(`photo-${index}.jpg`, json(index)));
}

/**
 * For a test file: starts sandboxes and, after each test, closes their emulators (even when the test failed) and
 * fails the test if the AppSecret or any token the emulator minted shows in an output item, an error or a log line.
 */
export function sandboxPerTest(): typeof startSandbox {
	let started: Array<Awaited<ReturnType<typeof startSandbox>>> = [];
	let exposure = new Exposure();
	beforeEach(() => {
		exposure = new Exposure();
		exposure.captureLogs();
	});
	afterEach(async () => {
		exposure.release();
		const sandboxes = started;
		started = [];
		const secrets = sandboxes.flatMap(({ emulator, store }) => [
			emulator.appSecret,
			store.get(CREDENTIAL_ID).appSecret,
			...emulator.mintedTokens(),
		]);
		await Promise.all(sandboxes.map(({ emulator }) => emulator.close()));
		const leaks = exposure.leaks(secrets);
		if (leaks.length) throw new Error(`A secret or token showed in ${leaks.length} output(s) or log line(s):\n${leaks.join('\n')}`);
	});
	return async (...args) => {
		const sandbox = await startSandbox(...args);
		started.push(sandbox);
		const seen = (result: RunResult) => {
			exposure.add(result.success);
			exposure.add(result.errorOutput);
			exposure.add(result.error);
			return result;
		};
		return {
			...sandbox,
			run: async (...runArgs: Parameters<typeof sandbox.run>) => seen(await sandbox.run(...runArgs)),
			upload: async (...uploadArgs: Parameters<typeof sandbox.upload>) => seen(await sandbox.upload(...uploadArgs)),
		};
	};
}

/** A stable token asked for straight from the emulator, as a token service or another system on the AppID would. */
export async function tokenFromElsewhere(emulator: { baseUrl: string; appId: string; appSecret: string }): Promise<string> {
	const answer = await fetch(`${emulator.baseUrl}/cgi-bin/stable_token`, {
		method: 'POST',
		body: JSON.stringify({ grant_type: 'client_credential', appid: emulator.appId, secret: emulator.appSecret }),
	});
	return ((await answer.json()) as { access_token: string }).access_token;
}
