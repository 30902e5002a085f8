#!/usr/bin/env node
// Run by the publish workflow: the pushed tag (v1.2.3) must be package.json's version, and CHANGELOG.md must
// have an entry for it (a "## 1.2.3" heading), so no release goes out undocumented or mislabelled.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const tag = process.argv[2] ?? '';
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');

const problems = [];
if (tag !== `v${version}`) problems.push(`the tag is "${tag}" but package.json's version is ${version}: tag v${version}, or bump the version`);
if (!new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`, 'm').test(changelog)) {
	problems.push(`CHANGELOG.md has no "## ${version}" entry: add one saying what changed`);
}
if (problems.length > 0) {
	process.stderr.write(`Not releasing:\n- ${problems.join('\n- ')}\n`);
	process.exit(1);
}
process.stdout.write(`Releasing ${version}: the tag and CHANGELOG.md agree.\n`);
