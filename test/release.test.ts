import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

const checkRelease = (tag: string, folder = root, publishingRepository = '') =>
	spawnSync(process.execPath, [join(root, 'scripts', 'check-release.js'), tag, folder], {
		encoding: 'utf8',
		env: { ...process.env, GITHUB_REPOSITORY: publishingRepository },
	});
const lintWorkflows = () => spawnSync(process.execPath, [join(root, 'scripts', 'lint-workflows.js')], { encoding: 'utf8' });

const PUBLISHER = 'acme/n8n-nodes-wechat-customer-service';

/** A package folder as a maintainer would leave it for a release: this package.json with real metadata. */
function releasablePackage(overrides: Record<string, unknown> = {}): string {
	const folder = mkdtempSync(join(tmpdir(), 'wechat-kf-release-'));
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
	writeFileSync(
		join(folder, 'package.json'),
		JSON.stringify({
			...manifest,
			repository: { type: 'git', url: `git+https://github.com/${PUBLISHER}.git` },
			bugs: { url: `https://github.com/${PUBLISHER}/issues` },
			homepage: `https://github.com/${PUBLISHER}#readme`,
			author: { name: 'Ada Lovelace', email: 'ada@acme.dev' },
			...overrides,
		}),
	);
	writeFileSync(join(folder, 'CHANGELOG.md'), readFileSync(join(root, 'CHANGELOG.md'), 'utf8'));
	return folder;
}

describe('releases', () => {
	test("the publish workflow's check passes for the version's tag, documented, published from the repository package.json names", () => {
		const result = checkRelease(`v${version}`, releasablePackage(), PUBLISHER);

		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	test('it refuses a tag that is not the package version, saying which to use', () => {
		const result = checkRelease('v99.0.0', releasablePackage(), PUBLISHER);

		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`tag v${version}, or bump the version`);
	});

	test('it refuses a release from another repository than package.json names, which npm\'s provenance check would refuse', () => {
		const result = checkRelease(`v${version}`, releasablePackage(), 'someone-else/fork');

		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`repository is ${PUBLISHER} but someone-else/fork publishes`);
	});

	test('this repository cannot release yet: package.json names no repository, no bugs URL, only a noreply address (issue 13)', () => {
		const result = checkRelease(`v${version}`, root, PUBLISHER);

		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`"url": "git+https://github.com/${PUBLISHER}.git"`);
		expect(result.stderr).toContain('has no "bugs"');
		expect(result.stderr).toContain("author.email");
	});

	test('both workflow files are valid GitHub Actions workflows', () => {
		const result = lintWorkflows();

		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('valid: .github/workflows/publish.yml');
		expect(result.stdout).toContain('valid: .github/workflows/ci.yml');
	});

	test('the publish workflow publishes with provenance from a tag, with an OIDC token and no stored one', () => {
		const workflow = readFileSync(join(root, '.github', 'workflows', 'publish.yml'), 'utf8');

		expect(workflow).toMatch(/tags:\s*\n\s*- 'v\*\.\*\.\*'/);
		expect(workflow).toContain('id-token: write');
		expect(workflow).toContain('npm publish --provenance --access public');
		expect(workflow).not.toMatch(/NODE_AUTH_TOKEN|NPM_TOKEN|secrets\./);
		for (const step of ['npm ci', 'npm run lint', 'npm run build', 'npm test', 'npm run scan', 'scripts/check-release.js']) {
			expect(workflow).toContain(step);
		}
	});
});
