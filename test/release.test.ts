import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

const checkRelease = (tag: string) => spawnSync(process.execPath, [join(root, 'scripts', 'check-release.js'), tag], { encoding: 'utf8' });
const lintWorkflows = () => spawnSync(process.execPath, [join(root, 'scripts', 'lint-workflows.js')], { encoding: 'utf8' });

describe('releases', () => {
	test("the publish workflow's check passes for the tag of package.json's version, which CHANGELOG.md documents", () => {
		const result = checkRelease(`v${version}`);

		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	test('it refuses a tag that is not the package version, saying which to use', () => {
		const result = checkRelease('v99.0.0');

		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`tag v${version}, or bump the version`);
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
