import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

/** The source file a `dist/…js` entry of package.json's n8n field is built from. */
const sourceOf = (distPath: string) => join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

// n8n's loader instantiates `require(file)[<file name up to its first dot>]`: a class named otherwise fails to
// load in a real n8n ("… is not a constructor") while every in-process test still passes.
test.each([...manifest.n8n.nodes, ...manifest.n8n.credentials])(
	'%s exports a class named after its file, as n8n loads it',
	async (distPath) => {
		const className = basename(distPath).split('.')[0];
		const exported = ((await import(sourceOf(distPath))) as Record<string, unknown>)[className];
		expect(typeof exported).toBe('function');
		const instance = new (exported as new () => { description?: { name: string }; name?: string })();
		expect(instance.description?.name ?? instance.name).toEqual(expect.any(String));
	},
);
