#!/usr/bin/env node
// `npm run scan`: the two lint legs of n8n's community-package scanner (@n8n/scan-community-package), run here
// as the verification does after publishing: on the unpacked `npm pack` tarball, and on the source the
// provenance statement points at. Needs `npm run build` first. Exits 1 when either leg finds a violation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function unpackedTarball(folder) {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', folder], { cwd: repositoryRoot, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(output.slice(output.indexOf('[')));
	execFileSync('tar', ['xzf', join(folder, filename), '-C', folder]);
	return { filename, packageFolder: join(folder, 'package') };
}

async function leg(name, folder, patterns) {
	const result = await analyzePackage(folder, patterns);
	process.stdout.write(`${result.passed ? 'passed' : 'FAILED'}: scanner lint of ${name} (${patterns.join(', ')})${result.message ? `: ${result.message}` : ''}\n`);
	if (result.details) process.stdout.write(`${result.details}\n`);
	return result.passed;
}

const workFolder = mkdtempSync(join(tmpdir(), 'wechat-kf-scan-'));
try {
	const { filename, packageFolder } = unpackedTarball(workFolder);
	const tarballPassed = await leg(`the packed tarball ${filename}`, packageFolder, TARBALL_FILE_PATTERNS);
	const sourcePassed = await leg('the source', repositoryRoot, SOURCE_FILE_PATTERNS);
	process.exitCode = tarballPassed && sourcePassed ? 0 : 1;
} finally {
	rmSync(workFolder, { recursive: true, force: true });
}
