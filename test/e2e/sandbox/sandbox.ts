import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';

import { startWeChatEmulator } from '../../emulator';
import { jpegBytes } from '../../fixtures/images';
import { emulatorCredentialData } from '../../fixtures/credential';
import { CREDENTIAL_TYPE, type CredentialJson } from './n8n';
import { EXAMPLE_CREDENTIAL } from './workflows';

export type Emulator = Awaited<ReturnType<typeof startWeChatEmulator>>;

/** The credential the examples refer to, pointing at the emulator: what a user enters, with the sandbox's values. */
export function sandboxCredential(emulator: Emulator, overrides: Record<string, unknown> = {}): CredentialJson {
	return {
		...EXAMPLE_CREDENTIAL,
		type: CREDENTIAL_TYPE,
		data: { ...emulatorCredentialData(emulator), ...overrides },
	};
}

/** Writes a JPEG (real signature, `size` bytes) to `path`, creating its folder. */
export function writeJpeg(path: string, size = 24 * 1024, seed = 7): Buffer {
	const bytes = jpegBytes(size, seed);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, bytes);
	return bytes;
}

export interface ImageServer {
	/** The URL serving `bytes` as image/jpeg under `/photos/<name>`. */
	url(name: string): string;
	/** How many images it has served. */
	served(): number;
	close(): Promise<void>;
}

/** A tiny loopback web server standing in for wherever a team keeps its staff photos. */
export async function startImageServer(bytes: Buffer): Promise<ImageServer> {
	let served = 0;
	const server = createServer((request, response) => {
		if (request.method === 'GET' && request.url?.startsWith('/photos/')) {
			served += 1;
			response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length });
			response.end(bytes);
			return;
		}
		response.writeHead(404).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (name) => `http://127.0.0.1:${port}/photos/${name}`,
		served: () => served,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export { startWeChatEmulator };
