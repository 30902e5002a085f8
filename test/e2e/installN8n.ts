/**
 * `npm run n8n:install`: installs, repairs or just checks the pinned n8n runtimes the sandbox and the e2e suites
 * use, and prints what proves each works. `npm run n8n:install -- 2.40.7` for one version.
 */
import { ensureN8n, N8N_VERSIONS } from './sandbox/install';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	const wanted = process.argv.slice(2);
	const versions = wanted.length > 0 ? wanted : Object.values(N8N_VERSIONS);
	for (const version of versions) {
		const installation = await ensureN8n(version, say);
		say(`n8n ${version} is ready: ${installation.folder}`);
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`n8n:install failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
