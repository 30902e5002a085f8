import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

import { MAX_AVATAR_BYTES } from '../nodes/WeChatCustomerService/validation';
import { jpegItem, jpegItems, startSandbox, type Emulator } from './engine/sandbox';

let emulator: Emulator | undefined;
const service = () => Container.get(BinaryDataService);

beforeAll(async () => {
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = mkdtempSync(join(tmpdir(), 'wechat-kf-binary-'));
	await service().init();
});

afterEach(async () => {
	jest.restoreAllMocks();
	await emulator?.close();
	emulator = undefined;
});

describe("binaries in n8n's filesystem binary store", () => {
	test('uploads binaries stored on disk, reading them one item at a time', async () => {
		const started = await startSandbox();
		emulator = started.emulator;
		const original = service().getAsBuffer.bind(service());
		const uploadsSeenAtEachRead: number[] = [];
		const reads = jest.spyOn(service(), 'getAsBuffer').mockImplementation(async (binary) => {
			uploadsSeenAtEachRead.push(started.emulator.uploads.length);
			return await original(binary);
		});
		const { success } = await started.upload(jpegItems(6));

		expect(success.map((item) => item.json.errcode)).toEqual(Array(6).fill(0));
		expect(reads.mock.calls.every(([binary]) => String(binary.id).startsWith('filesystem'))).toBe(true);
		// At concurrency 1 each file is read only after the one before it was uploaded.
		expect(uploadsSeenAtEachRead).toEqual([0, 1, 2, 3, 4, 5]);
	});

	test('an oversized file on disk is refused from its recorded size, without reading it', async () => {
		const started = await startSandbox();
		emulator = started.emulator;
		const reads = jest.spyOn(service(), 'getAsBuffer');
		const { errorOutput } = await started.upload([jpegItem('huge.jpg', {}, MAX_AVATAR_BYTES + 100)], {
			onError: 'continueErrorOutput',
		});

		expect(String(errorOutput[0].json.message)).toContain(`${MAX_AVATAR_BYTES + 100} bytes`);
		expect(reads).not.toHaveBeenCalled();
	});
});
