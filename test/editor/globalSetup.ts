import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, N8N_VERSIONS } from '../e2e/sandbox/install';
import { buildAndPack } from '../e2e/sandbox/pack';
import { chromiumPath } from './browser';

/** Before the editor suite: Chromium present, n8n 2.x installed and proven (first run only), the package packed. */
export default async function globalSetup(): Promise<void> {
	const say = (line: string) => process.stdout.write(`[editor] ${line}\n`);
	say(`chromium ${chromiumPath()}`);
	const installation = await ensureN8n(N8N_VERSIONS.current, say);
	say(`n8n ${installation.version}: ${installation.folder}`);
	const packFolder = mkdtempSync(join(tmpdir(), 'wechat-kf-pack-'));
	process.env.E2E_PACK_FOLDER = packFolder;
	const packed = await buildAndPack(packFolder);
	process.env.E2E_TARBALL = packed.tarball;
	say(`packed ${packed.tarball}`);
}
