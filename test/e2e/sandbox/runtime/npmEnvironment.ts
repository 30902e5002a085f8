import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

// Where npm fetches from and keeps its cache: the user's choice, kept for nested installs.
const NETWORK_SETTINGS = /^npm_config_(registry|cache|proxy|https_proxy|noproxy|no_proxy|cafile|ca|strict_ssl|userconfig|globalconfig|fetch_\w+|\/\/.*|@[^:]+:registry)$/i;

/**
 * The environment for an npm or node-gyp child, free of the settings `npm run` exports to its children as
 * `npm_config_*`: the project's `.npmrc` (`ignore-scripts=true`) or a machine's (`nodedir=/usr`) would otherwise
 * silently turn a nested build into a no-op, or build against another Node's headers. Network settings stay.
 */
export function npmChildEnvironment(extraPath?: string): NodeJS.ProcessEnv {
	const environment: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(name) && !NETWORK_SETTINGS.test(name)) continue;
		if (name === 'NODE_ENV' || name === 'NODE_OPTIONS' || name === 'INIT_CWD') continue;
		environment[name] = value;
	}
	if (extraPath) environment.PATH = `${extraPath}${delimiter}${process.env.PATH ?? ''}`;
	return environment;
}

/** The machine's `npm` command, found on PATH the way a shell would. */
export function npmCommand(): string {
	return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

/** node-gyp as the machine's npm bundles it, which builds for any Node given `--nodedir`. */
export function bundledNodeGyp(): string | undefined {
	for (const folder of (process.env.PATH ?? '').split(delimiter)) {
		const npm = join(folder, 'npm');
		if (!existsSync(npm)) continue;
		const npmRoot = dirname(dirname(realpathSync(npm)));
		const nodeGyp = join(npmRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
		if (existsSync(nodeGyp)) return nodeGyp;
	}
	return undefined;
}
