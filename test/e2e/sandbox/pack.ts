import { join } from 'node:path';

import { REPOSITORY_ROOT } from './install';
import { runProcess } from './processes';

export interface PackedPackage {
	/** Absolute path of the .tgz, what `npm publish` would upload. */
	tarball: string;
	/** The paths inside the package, as npm lists them. */
	files: string[];
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function npmIn(args: string[]) {
	const result = await runProcess(npm, args, { cwd: REPOSITORY_ROOT, timeoutMs: 5 * 60_000 });
	if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
	return result;
}

/** `npm run build`, then `npm pack` into `destination`: the package exactly as a user would install it. */
export async function buildAndPack(destination: string): Promise<PackedPackage> {
	await npmIn(['run', 'build', '--silent']);
	const { stdout } = await npmIn(['pack', '--json', '--pack-destination', destination]);
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
	return { tarball: join(destination, packed.filename), files: packed.files.map((file) => file.path) };
}
