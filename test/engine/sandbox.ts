import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { startWeChatEmulator } from '../emulator';
import { jpegBytes } from '../fixtures/images';
import { CREDENTIAL_ID, newCredentialStore, runWorkflow, type InputItem, type OnError } from './runWorkflow';

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
	store.put(CREDENTIAL_ID, {
		appId: emulator.appId,
		appSecret: emulator.appSecret,
		tokenEndpoint: 'stable',
		baseUrl: emulator.baseUrl,
		accessToken: '',
		...credential,
	});
	const run = (operation: string, items: InputItem[], options: RunStepOptions = {}) =>
		runWorkflow({
			store,
			items,
			onError: options.onError,
			parameters: {
				resource: 'account',
				operation,
				options: { retryDelayMs: 5, ...options.nodeOptions },
				...options.parameters,
			},
		});
	const upload = (items: InputItem[], options: RunStepOptions = {}) =>
		run('uploadAvatar', items, {
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

/** For a test file: starts sandboxes and closes each one's emulator after its test, even when the test fails. */
export function sandboxPerTest(): typeof startSandbox {
	const started: Emulator[] = [];
	afterEach(async () => {
		await Promise.all(started.splice(0).map((emulator) => emulator.close()));
	});
	return async (...args) => {
		const sandbox = await startSandbox(...args);
		started.push(sandbox.emulator);
		return sandbox;
	};
}
