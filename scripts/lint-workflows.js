#!/usr/bin/env node
// `npm run lint:workflows`: every GitHub Actions workflow checked against the workflow schema, offline
// (@action-validator/cli), since GitHub itself is not reachable from here. Exits 1 on the first invalid one.
const { execFileSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const folder = join(__dirname, '..', '.github', 'workflows');
const workflows = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name));
if (workflows.length === 0) {
	process.stderr.write(`no workflow files in ${folder}\n`);
	process.exit(1);
}
const validator = require.resolve('@action-validator/cli/cli.mjs');
for (const name of workflows) {
	try {
		execFileSync(process.execPath, [validator, join(folder, name)], { stdio: ['ignore', 'pipe', 'pipe'] });
		process.stdout.write(`valid: .github/workflows/${name}\n`);
	} catch (error) {
		process.stderr.write(`INVALID: .github/workflows/${name}\n${error.stdout ?? ''}${error.stderr ?? ''}\n`);
		process.exit(1);
	}
}
