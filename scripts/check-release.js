#!/usr/bin/env node
// Run by the publish workflow: the pushed tag (v1.2.3) must be package.json's version, CHANGELOG.md must have an
// entry for it (a "## 1.2.3" heading), and package.json must name the repository that publishes (npm compares
// repository.url with the provenance statement and refuses a mismatch), where to report bugs and a real maintainer
// address. `node scripts/check-release.js <tag> [package folder]`; GITHUB_REPOSITORY is Actions' owner/name.
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const tag = process.argv[2] ?? '';
const root = resolve(process.argv[3] ?? join(__dirname, '..'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
const { version } = manifest;
const publishingRepository = process.env.GITHUB_REPOSITORY ?? '';

/** owner/name of a GitHub URL in any form npm accepts (git+https://github.com/o/n.git, https://github.com/o/n). */
const githubRepository = (url) => /github\.com[/:]([^/]+\/[^/#?]+?)(?:\.git)?(?:[/#?].*)?$/.exec(String(url ?? ''))?.[1] ?? '';

const problems = [];
if (tag !== `v${version}`) problems.push(`the tag is "${tag}" but package.json's version is ${version}: tag v${version}, or bump the version`);
if (!new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`, 'm').test(changelog)) {
	problems.push(`CHANGELOG.md has no "## ${version}" entry: add one saying what changed`);
}
const repository = githubRepository(typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url);
const expected = publishingRepository || '<owner>/<name>';
if (!repository) {
	problems.push(`package.json has no GitHub repository: set "repository": { "type": "git", "url": "git+https://github.com/${expected}.git" }`);
} else if (publishingRepository && repository.toLowerCase() !== publishingRepository.toLowerCase()) {
	problems.push(`package.json's repository is ${repository} but ${publishingRepository} publishes: npm's provenance check would refuse it`);
}
if (!githubRepository(manifest.bugs?.url ?? manifest.bugs)) {
	problems.push(`package.json has no "bugs": set "bugs": { "url": "https://github.com/${expected}/issues" }`);
}
if (!manifest.homepage) problems.push(`package.json has no "homepage": set it to "https://github.com/${expected}#readme"`);
const email = String(manifest.author?.email ?? '');
if (!email || /noreply|example\.(com|org)/i.test(email)) {
	problems.push(`package.json's author.email is "${email}": give a maintainer's address people can write to`);
}
if (problems.length > 0) {
	process.stderr.write(`Not releasing:\n- ${problems.join('\n- ')}\n`);
	process.exit(1);
}
process.stdout.write(`Releasing ${version} from ${repository}: the tag, CHANGELOG.md and package.json agree.\n`);
