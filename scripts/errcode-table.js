#!/usr/bin/env node
// Renders the README's errcode table from the node's own table (nodes/WeChatCustomerService/errors.ts),
// so the two cannot drift: `npm run build && node scripts/errcode-table.js --write` updates README.md.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const START = '<!-- errcode-table:start -->';
const END = '<!-- errcode-table:end -->';

function cell(text) {
	return String(text).replace(/\|/g, '\\|');
}

/** @param {Record<number, {category: string, meaning: string, fix: string}>} errcodes */
function renderErrcodeTable(errcodes, transportFailures) {
	const rows = Object.entries(errcodes)
		.map(([errcode, entry]) => [Number(errcode), entry])
		.sort(([a], [b]) => a - b)
		.map(([errcode, entry]) => `| ${errcode} | ${entry.category} | ${cell(entry.meaning)} | ${cell(entry.fix)} |`);
	const transportRows = Object.entries(transportFailures).map(
		([kind, entry]) => `| (${kind}) | ${entry.category} | ${cell(entry.meaning)} | ${cell(entry.fix)} |`,
	);
	return [
		START,
		'| errcode | category | meaning | fix |',
		'| --- | --- | --- | --- |',
		...rows,
		...transportRows,
		END,
	].join('\n');
}

function replaceTable(readme, table) {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start < 0 || end < 0) throw new Error(`README.md lacks the ${START} … ${END} markers`);
	return readme.slice(0, start) + table + readme.slice(end + END.length);
}

module.exports = { renderErrcodeTable, replaceTable };

if (require.main === module) {
	const { errcodeTable, transportFailureTable } = require('../dist/nodes/WeChatCustomerService/errors');
	const readmePath = join(__dirname, '..', 'README.md');
	const table = renderErrcodeTable(errcodeTable, transportFailureTable);
	if (process.argv.includes('--write')) writeFileSync(readmePath, replaceTable(readFileSync(readmePath, 'utf8'), table));
	else process.stdout.write(`${table}\n`);
}
