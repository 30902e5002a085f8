import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, N8N_VERSIONS } from '../e2e/sandbox/install';
import { buildAndPack } from '../e2e/sandbox/pack';
import { findServiceBinaries } from './services';

/** Before the queue-mode suite: Redis and PostgreSQL present, n8n 2.x installed (first run only), the package packed. */
export default async function globalSetup(): Promise<void> {
	const say = (line: string) => process.stdout.write(`[queue] ${line}\n`);
	const binaries = findServiceBinaries();
	say(`redis-server ${binaries.redisServer}, postgres ${binaries.postgres}`);
	const installation = await ensureN8n(N8N_VERSIONS.current, say);
	say(`n8n ${installation.version}: ${installation.folder}`);
	const packFolder = mkdtempSync(join(tmpdir(), 'wechat-kf-pack-'));
	process.env.E2E_PACK_FOLDER = packFolder;
	const packed = await buildAndPack(packFolder);
	say(`packed ${packed.tarball}`);
	process.env.E2E_TARBALL = packed.tarball;
}
