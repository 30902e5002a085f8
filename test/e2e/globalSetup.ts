import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, N8N_VERSIONS, selectedVersions } from './sandbox/install';
import { buildAndPack } from './sandbox/pack';

/** Runs once before the e2e suites: the pinned n8n installs (first run only) and one packed tarball for all. */
export default async function globalSetup(): Promise<void> {
	const say = (line: string) => process.stdout.write(`[e2e] ${line}\n`);
	for (const version of selectedVersions(Object.values(N8N_VERSIONS))) {
		const installation = await ensureN8n(version, say);
		say(`n8n ${version}: ${installation.folder}`);
	}
	const packFolder = mkdtempSync(join(tmpdir(), 'wechat-kf-pack-'));
	process.env.E2E_PACK_FOLDER = packFolder;
	const packed = await buildAndPack(packFolder);
	say(`packed ${packed.tarball} (${packed.files.length} files)`);
	process.env.E2E_TARBALL = packed.tarball;
	process.env.E2E_PACKED_FILES = JSON.stringify(packed.files);
}
