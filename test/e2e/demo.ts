/**
 * `npm run demo`: the branding-refresh example in a real n8n against the sandbox WeChat, then a table of what
 * happened to each account it listed. `npm run demo -- --n8n 1.123.81` runs it on n8n 1.x.
 */
import { join } from 'node:path';

import { binarySize, outputItems, type ExecutionRun, type RunItem } from './sandbox/runData';
import { writeJpeg } from './sandbox/sandbox';
import { openSandbox, SANDBOX_ACCOUNTS, versionFromArguments } from './sandbox/session';
import { adaptWorkflow, EXAMPLES, loadExample, nodeNamed } from './sandbox/workflows';

/** The one upload the sandbox WeChat refuses, with the errcode WeChat gives when the account was deleted meanwhile. */
const REFUSED_UPLOAD = { kind: 'errcode', errcode: 65401, after: 1 } as const;

const say = (line: string) => process.stdout.write(`${line}\n`);

interface Row {
	account: string;
	file: string;
	size: string;
	errcode: string;
	outcome: string;
}

function kibibytes(bytes: number | undefined): string {
	return bytes === undefined ? '?' : `${(bytes / 1024).toFixed(1)} KiB`;
}

function printTable(rows: Row[]): void {
	const columns: Array<keyof Row> = ['account', 'file', 'size', 'errcode', 'outcome'];
	const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
	const line = (cells: string[]) => say(`  ${cells.map((cell, index) => cell.padEnd(widths[index])).join('  ')}`.trimEnd());
	line(columns);
	line(widths.map((width) => '-'.repeat(width)));
	for (const row of rows) line(columns.map((column) => row[column]));
}

async function main(): Promise<number> {
	const started = Date.now();
	const version = versionFromArguments(process.argv.slice(2));
	say(`WeChat customer-service node: sandbox demo in a real n8n ${version}\n`);
	const { n8n, emulator, close } = await openSandbox(version, say);
	try {
		const avatar = join(n8n.filesFolder, 'branding', 'avatar.jpg');
		writeJpeg(avatar);
		const workflow = adaptWorkflow(loadExample(EXAMPLES.brandingRefresh), n8n.nodeType, (copy) => {
			nodeNamed(copy, 'Read new avatar').parameters.fileSelector = avatar;
		});
		await n8n.importWorkflows([workflow]);
		say(`Imported the example workflow "${workflow.name}" (examples/${EXAMPLES.brandingRefresh})`);
		emulator.inject(REFUSED_UPLOAD);
		say('Starting n8n (n8n start)...');
		const server = await n8n.startWithOwner();
		let run: ExecutionRun;
		try {
			say(
				`Running it as the editor's Execute workflow button does: Get Many lists the sandbox's ${SANDBOX_ACCOUNTS.length} ` +
					`accounts; the sandbox WeChat refuses one upload (the second it receives) with errcode ${REFUSED_UPLOAD.errcode}, ` +
					'as when the account is deleted during the refresh...\n',
			);
			({ run } = await n8n.runManually(server, workflow.id));
		} finally {
			await server.stop();
		}
		if (run.status !== 'success') {
			say(`The run failed: ${run.data.resultData.error?.message ?? `its status is ${run.status}`}`);
			return 1;
		}
		// Set avatar's items pair to the Merge node's: one per account listed, each with the image.
		const merged = outputItems(run, 'New avatar for each account');
		const pairedIndex = (item: RunItem) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item ?? 0;
		const rows = [
			...outputItems(run, 'Set avatar', 0).map((item) => ({ item, routed: 'success' as const })),
			...outputItems(run, 'Set avatar', 1).map((item) => ({ item, routed: 'error' as const })),
		]
			.sort((a, b) => pairedIndex(a.item) - pairedIndex(b.item))
			.map(({ item, routed }): Row => {
				const error = item.json.error as { errcode: number | null; meaning: string; kfAccount: string } | undefined;
				return {
					account: String(routed === 'success' ? item.json.kfAccount : error?.kfAccount),
					file: String(item.json.fileName ?? merged[pairedIndex(item)]?.binary?.data?.fileName ?? '?'),
					size: kibibytes(routed === 'success' ? Number(item.json.fileSize) : binarySize(merged[pairedIndex(item)])),
					errcode: String(routed === 'success' ? item.json.errcode : error?.errcode),
					outcome: routed === 'success' ? 'avatar set (Success output)' : `Error output: ${error?.meaning}`,
				};
			});
		printTable(rows);

		say('\nThe example\'s "Failures by errcode" node (Summarize) collected:');
		for (const { json } of outputItems(run, 'Failures by errcode')) {
			say(`  errcode ${json.error_errcode} (${json.error_meaning}) × ${json.count_error_kfAccount}: ${json.concatenated_error_kfAccount}`);
			say(`    fix: ${json.error_fix}`);
		}
		const { tokenRequests, uploads } = emulator.counters;
		say(
			`The sandbox WeChat saw ${tokenRequests.stable + tokenRequests.classic} token request(s) and ` +
				`${emulator.counters.apiCalls['/customservice/kfaccount/uploadheadimg'] ?? 0} upload calls; ${uploads} avatars set.`,
		);
		const expected = rows.length === SANDBOX_ACCOUNTS.length && rows.filter((row) => row.errcode === '0').length === SANDBOX_ACCOUNTS.length - 1;
		say(`\nDone in ${Math.round((Date.now() - started) / 1000)} s. Click through it yourself: npm run dev`);
		return expected ? 0 : 1;
	} finally {
		await close();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
