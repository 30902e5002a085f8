import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { errcodeTable, transportFailureTable } from '../nodes/WeChatCustomerService/errors';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderErrcodeTable } = require('../scripts/errcode-table.js') as {
	renderErrcodeTable: (errcodes: unknown, transportFailures: unknown) => string;
};

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

test("the README's errcode table is the node's own table (run `node scripts/errcode-table.js --write` after a change)", () => {
	expect(readme).toContain(renderErrcodeTable(errcodeTable, transportFailureTable));
});

test('the README gives the test command that .ci/run calls', () => {
	const ci = readFileSync(join(__dirname, '..', '.ci', 'run'), 'utf8');
	expect(readme).toContain('npm test');
	expect(ci).toMatch(/^npm test$/m);
});
