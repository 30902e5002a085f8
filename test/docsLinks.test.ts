import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WeChatOfficialAccountApi } from '../credentials/WeChatOfficialAccountApi.credentials';
import { WechatCustomerService } from '../nodes/WeChatCustomerService/WechatCustomerService.node';

const root = join(__dirname, '..');
const packageName = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name;
const codex = JSON.parse(readFileSync(join(root, 'nodes', 'WeChatCustomerService', 'WechatCustomerService.node.json'), 'utf8')) as {
	resources: Record<string, Array<{ url: string }>>;
};

/** The anchors npm (like GitHub) gives the README's headings: lower case, punctuation dropped, spaces as hyphens. */
function readmeAnchors(): Set<string> {
	const headings = readFileSync(join(root, 'README.md'), 'utf8').match(/^#{1,6} .+$/gm) ?? [];
	return new Set(
		headings.map((heading) =>
			heading
				.replace(/^#+ /, '')
				.toLowerCase()
				.replace(/[^\p{L}\p{N} _-]/gu, '')
				.replace(/ /g, '-'),
		),
	);
}

const links: Array<[string, string | undefined]> = [
	...Object.entries(new WechatCustomerService().nodeVersions).map(([version, node]): [string, string | undefined] => [`node v${version}`, node.description.documentationUrl]),
	['credential', new WeChatOfficialAccountApi().documentationUrl],
	...Object.entries(codex.resources).flatMap(([kind, entries]) => entries.map((entry): [string, string] => [`codex ${kind}`, entry.url])),
];

test.each(links)('the %s docs link opens a section of this package’s README on npm', (_, url) => {
	const [page, anchor] = String(url).split('#');
	expect(page).toBe(`https://www.npmjs.com/package/${packageName}`);
	expect(readmeAnchors()).toContain(anchor);
});
