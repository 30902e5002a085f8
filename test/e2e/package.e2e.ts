import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPOSITORY_ROOT } from './sandbox/install';

const packedFiles = (): string[] => JSON.parse(process.env.E2E_PACKED_FILES ?? '[]') as string[];

const TOP_LEVEL_FILES = ['index.js', 'README.md', 'LICENSE', 'package.json'];

test('npm pack ships only dist/, index.js, README.md, LICENSE and package.json', () => {
	const files = packedFiles();
	expect(files.length).toBeGreaterThan(0);
	expect(files.filter((path) => !path.startsWith('dist/') && !TOP_LEVEL_FILES.includes(path))).toEqual([]);
	expect(files).toEqual(expect.arrayContaining(TOP_LEVEL_FILES));
	expect(files.filter((path) => path.endsWith('.map') || path.includes('.test.'))).toEqual([]);
});

test("the package's main, index.js, loads and gives the node and credential classes n8n loads", () => {
	const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { main: string };
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const main = require(join(REPOSITORY_ROOT, manifest.main)) as Record<string, new () => { description: { name: string } } & { name?: string }>;

	expect(manifest.main).toBe('index.js');
	expect(new main.WechatCustomerService().description.name).toBe('wechatCustomerService');
	expect(new main.WeChatOfficialAccountApi().name).toBe('wechatOfficialAccountApi');
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
