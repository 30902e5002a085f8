import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPOSITORY_ROOT } from './sandbox/install';

const packedFiles = (): string[] => JSON.parse(process.env.E2E_PACKED_FILES ?? '[]') as string[];

test('npm pack ships only dist/, README.md, LICENSE and package.json', () => {
	const files = packedFiles();
	expect(files.length).toBeGreaterThan(0);
	expect(files.filter((path) => !path.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(path))).toEqual([]);
	expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
});

test('the package holds every file its n8n field lists, with the icons and the codex beside the node', () => {
	const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const listed = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
	const nodeFolder = manifest.n8n.nodes[0].slice(0, manifest.n8n.nodes[0].lastIndexOf('/'));
	expect(packedFiles()).toEqual(
		expect.arrayContaining([
			...listed,
			manifest.n8n.nodes[0].replace(/\.js$/, '.json'),
			`${nodeFolder}/wechat.svg`,
			`${nodeFolder}/wechat.dark.svg`,
		]),
	);
});
