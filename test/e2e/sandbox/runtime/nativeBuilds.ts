import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { runProcess } from '../processes';
import type { NativeModuleState, RuntimeLayout } from './inspection';
import { bundledNodeGyp, npmChildEnvironment } from './npmEnvironment';

/** Where a native module's compiled binaries are kept, so that a second n8n version or a repair does not compile again. */
function buildCacheFolder(cacheRoot: string, module: NativeModuleState, layout: RuntimeLayout): string {
	return join(cacheRoot, 'native-builds', `${module.name}-${module.packageVersion}-node-${layout.nodeVersion}-${process.platform}-${process.arch}`);
}

const binariesIn = (folder: string) => (existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.node')) : []);

function copyBinaries(from: string, to: string): void {
	mkdirSync(to, { recursive: true });
	for (const name of binariesIn(from)) copyFileSync(join(from, name), join(to, name));
}

/** Puts binaries kept from an earlier build in place; false when there are none for this module, version and Node. */
export function restoreCachedBuild(cacheRoot: string, module: NativeModuleState, layout: RuntimeLayout): boolean {
	const cached = buildCacheFolder(cacheRoot, module, layout);
	if (!module.folder || binariesIn(cached).length === 0) return false;
	copyBinaries(cached, join(module.folder, 'build', 'Release'));
	return true;
}

/** Forgets a kept build that did not load, so that the next repair compiles instead. */
export function forgetCachedBuild(cacheRoot: string, module: NativeModuleState, layout: RuntimeLayout): void {
	rmSync(buildCacheFolder(cacheRoot, module, layout), { recursive: true, force: true });
}

/**
 * Compiles a native module from its sources against the runtime's own Node headers with node-gyp, using every
 * core (no prebuilt binary can be downloaded here), then keeps the binaries for the next runtime that needs them.
 */
export async function compileNativeModule(
	cacheRoot: string,
	module: NativeModuleState,
	layout: RuntimeLayout,
	onLine: (line: string) => void,
): Promise<void> {
	if (!module.folder) throw new Error(`${module.name} is not installed, so it cannot be built: ${module.detail}`);
	const nodeGyp = bundledNodeGyp() ?? join(layout.folder, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
	const result = await runProcess(
		layout.nodeBinary,
		[nodeGyp, 'rebuild', '--release', '--jobs=max', `--nodedir=${layout.nodeDir}`],
		{ cwd: module.folder, env: npmChildEnvironment(dirname(layout.nodeBinary)), timeoutMs: 30 * 60_000, onLine },
	);
	if (result.code !== 0) {
		throw new Error(`building ${module.name} ${module.packageVersion} failed (exit ${result.code}):\n${result.output.slice(-3000)}`);
	}
	const cached = buildCacheFolder(cacheRoot, module, layout);
	const staging = `${cached}.partial-${process.pid}`;
	copyBinaries(join(module.folder, 'build', 'Release'), staging);
	rmSync(cached, { recursive: true, force: true });
	renameSync(staging, cached);
}
