import '../test/engine/setupEnv';

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

import { CREDENTIAL_ID, NODE_NAME, newCredentialStore, runWorkflow, type InputItem } from '../test/engine/runWorkflow';
import { jpegBytes } from '../test/fixtures/images';
import { emulatorCredentialData } from '../test/fixtures/credential';
import { barChartSvg } from './chart';
import { startEmulatorProcess } from './emulatorProcess';
import { measure } from './measure';
import { openBenchN8n } from './n8n';
import { measureQueueMode, printQueueMode, type QueueModeFigures } from './queueMode';
import { rawUploads } from './rawUpload';

const ACCOUNT = 'agent1@sandbox_oa';
const SMALL = 150 * 1024;
const LARGE = 5 * 1024 * 1024;
const COUNTS = (process.env.BENCH_COUNTS ?? '10,100,1000').split(',').map(Number);
/** WeChat over a real network, as issue 15 sets it: uploads answered in 80 ± 30 ms, token requests in 40 ms. */
const REALISTIC_LATENCY = { upload: { ms: 80, jitterMs: 30 }, token: { ms: 40 } };

interface Row {
	scenario: string;
	group: string;
	items: number;
	concurrency: number;
	imageBytes: number;
	msPerItem: number;
	tokenRequests: number;
	tokensMinted: number;
	peakRssMb: number;
	rssGrowthMb: number;
	ratioToLimit?: number;
	ratioToHttpRequest?: number;
}

async function main() {
	const emulator = await startEmulatorProcess([ACCOUNT]);
	const store = newCredentialStore();
	store.put(CREDENTIAL_ID, emulatorCredentialData(emulator));
	const rows: Row[] = [];
	let tokensMintedInAll = 0;
	const small = jpegBytes(SMALL);

	const record = async (
		scenario: string,
		group: string,
		items: number,
		concurrency: number,
		imageBytes: number,
		work: () => Promise<number | void>,
	) => {
		await emulator.resetCounters();
		let nodeMs: number | void = undefined;
		const measured = await measure(async () => {
			nodeMs = await work();
		});
		const counters = await emulator.counters();
		tokensMintedInAll += counters.tokensMinted.stable + counters.tokensMinted.classic;
		const row: Row = {
			scenario,
			group,
			items,
			concurrency,
			imageBytes,
			msPerItem: (nodeMs ?? measured.ms) / items,
			tokenRequests: counters.tokenRequests.stable + counters.tokenRequests.classic,
			tokensMinted: counters.tokensMinted.stable + counters.tokensMinted.classic,
			peakRssMb: measured.peakRssMb,
			rssGrowthMb: measured.peakRssMb - measured.rssBeforeMb,
		};
		rows.push(row);
		process.stderr.write(`  ${scenario}: ${row.msPerItem.toFixed(2)} ms/item\n`);
	};

	const runNode = async (items: InputItem[], concurrency: number) => {
		const { success, errorOutput, run } = await runWorkflow({
			store,
			items,
			onError: 'continueErrorOutput',
			parameters: {
				resource: 'avatar',
				operation: 'upload',
				kfAccount: ACCOUNT,
				binaryPropertyName: 'data',
				options: { concurrency },
			},
		});
		const ok = success.filter((item) => item.json.errcode === 0).length;
		if (ok !== items.length) throw new Error(`${items.length - ok} items failed: ${JSON.stringify(errorOutput[0]?.json)}`);
		// The node's own time as n8n records it, without the test input node that stores the files first.
		return run.data.resultData.runData[NODE_NAME][0].executionTime;
	};
	const imageItems = (count: number, bytes: Buffer): InputItem[] =>
		Array.from({ length: count }, (_, index) => ({ binary: { data: { bytes, fileName: `agent-${index}.jpg`, mimeType: 'image/jpeg' } } }));

	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = mkdtempSync(join(tmpdir(), 'wechat-kf-bench-binary-'));
	await Container.get(BinaryDataService).init();

	process.stderr.write('Warming up...\n');
	await emulator.resetCounters();
	await runNode(imageItems(20, small), 4);
	tokensMintedInAll += (await emulator.counters()).tokensMinted.stable;
	const token = String(store.get(CREDENTIAL_ID).accessToken);
	await rawUploads(emulator.baseUrl, token, ACCOUNT, small, 20, 4);

	// First, while the process is small: RSS rarely shrinks, so growth measured after the big batches means little.
	const large = jpegBytes(LARGE);
	await record('node in engine, 100 × 5 MB, filesystem binary mode, concurrency 1', 'node in n8n-core engine', 100, 1, LARGE, () =>
		runNode(imageItems(100, large), 1),
	);
	await record('node in engine, 100 × 5 MB, filesystem binary mode, concurrency 8', 'node in n8n-core engine', 100, 8, LARGE, () =>
		runNode(imageItems(100, large), 8),
	);
	for (const inFlight of [1, 8]) {
		await record(`limit: raw fetch, 100 × 5 MB, ${inFlight} in flight`, 'limit (raw fetch + FormData)', 100, inFlight, LARGE, () =>
			rawUploads(emulator.baseUrl, token, ACCOUNT, large, 100, inFlight),
		);
	}

	for (const count of COUNTS) {
		for (const inFlight of [1, 8]) {
			await record(`limit: raw fetch, ${count} × 150 KB, ${inFlight} in flight`, 'limit (raw fetch + FormData)', count, inFlight, SMALL, () =>
				rawUploads(emulator.baseUrl, token, ACCOUNT, small, count, inFlight),
			);
		}
		for (const concurrency of [1, 8]) {
			await record(`node in engine, ${count} × 150 KB, concurrency ${concurrency}`, 'node in n8n-core engine', count, concurrency, SMALL, () =>
				runNode(imageItems(count, small), concurrency),
			);
		}
	}

	// Where WeChat's latency dominates (issue 15): the same small batch with answers as slow as over a real network.
	await emulator.setLatency(REALISTIC_LATENCY);
	try {
		for (const inFlight of [1, 8]) {
			await record(`limit: raw fetch, 100 × 150 KB, ${inFlight} in flight, realistic latency`, 'limit (raw fetch + FormData)', 100, inFlight, SMALL, () =>
				rawUploads(emulator.baseUrl, token, ACCOUNT, small, 100, inFlight),
			);
			await record(`node in engine, 100 × 150 KB, concurrency ${inFlight}, realistic latency`, 'node in n8n-core engine', 100, inFlight, SMALL, () =>
				runNode(imageItems(100, small), inFlight),
			);
		}
	} finally {
		await emulator.setLatency({});
	}

	if (process.env.BENCH_N8N !== '0') {
		const n8n = await openBenchN8n(emulator, (line) => process.stderr.write(`${line}\n`));
		const nodeGroup = `node in real n8n ${n8n.version}`;
		const httpGroup = `HTTP Request pipeline in real n8n ${n8n.version}`;
		const inN8n = async (scenario: string, group: string, items: number, concurrency: number, imageBytes: number, work: () => Promise<{ uploadMs: number; peakRssMb: number }>) => {
			await emulator.resetCounters();
			const measured = await work();
			const counters = await emulator.counters();
			tokensMintedInAll += counters.tokensMinted.stable + counters.tokensMinted.classic;
			rows.push({
				scenario,
				group,
				items,
				concurrency,
				imageBytes,
				msPerItem: measured.uploadMs / items,
				tokenRequests: counters.tokenRequests.stable + counters.tokenRequests.classic,
				tokensMinted: counters.tokensMinted.stable + counters.tokensMinted.classic,
				peakRssMb: measured.peakRssMb,
				rssGrowthMb: 0,
			});
			process.stderr.write(`  ${scenario}: ${(measured.uploadMs / items).toFixed(2)} ms/item, peak RSS ${measured.peakRssMb.toFixed(0)} MB\n`);
		};
		try {
			// RSS growth for 5 MB files: the upload step's share, i.e. the process's peak less the peak of the same
			// workflow reading the same files without uploading them (n8n's Read Files holds its own copies).
			const largeGlob = n8n.photos(100, LARGE);
			const readOnlyPeakMb = await n8n.readOnlyPeakRssMb(largeGlob);
			for (const [label, group, concurrency, run] of [
				['node, concurrency 1', nodeGroup, 1, () => n8n.node(largeGlob, 100, 1)],
				['node, concurrency 8', nodeGroup, 8, () => n8n.node(largeGlob, 100, 8)],
				['HTTP Request pipeline', httpGroup, 1, () => n8n.httpRequest(largeGlob, 100)],
			] as const) {
				await inN8n(`n8n: ${label}, 100 × 5 MB`, group, 100, concurrency, LARGE, run);
				rows[rows.length - 1].rssGrowthMb = rows[rows.length - 1].peakRssMb - readOnlyPeakMb;
			}
			for (const count of COUNTS) {
				const glob = n8n.photos(count, SMALL);
				await inN8n(`n8n: HTTP Request pipeline, ${count} × 150 KB`, httpGroup, count, 1, SMALL, () => n8n.httpRequest(glob, count));
				for (const concurrency of [1, 8]) {
					await inN8n(`n8n: node, ${count} × 150 KB, concurrency ${concurrency}`, nodeGroup, count, concurrency, SMALL, () => n8n.node(glob, count, concurrency));
				}
			}
			// The same comparison where WeChat's latency dominates: the pipeline waits for a token request every run.
			const realisticGlob = n8n.photos(100, SMALL);
			await emulator.setLatency(REALISTIC_LATENCY);
			try {
				await inN8n('n8n: HTTP Request pipeline, 100 × 150 KB, realistic latency', httpGroup, 100, 1, SMALL, () => n8n.httpRequest(realisticGlob, 100));
				for (const concurrency of [1, 8]) {
					await inN8n(`n8n: node, 100 × 150 KB, concurrency ${concurrency}, realistic latency`, nodeGroup, 100, concurrency, SMALL, () =>
						n8n.node(realisticGlob, 100, concurrency),
					);
				}
			} finally {
				await emulator.setLatency({});
			}
		} finally {
			n8n.close();
		}
	}

	const queueMode: QueueModeFigures | undefined =
		process.env.BENCH_QUEUE === '0' ? undefined : measureQueueMode((line) => process.stderr.write(`${line}\n`));

	for (const row of rows) {
		const realistic = (candidate: Row) => candidate.scenario.endsWith('realistic latency');
		const limit = rows.find(
			(candidate) =>
				candidate.group.startsWith('limit') &&
				candidate.items === row.items &&
				candidate.concurrency === row.concurrency &&
				candidate.imageBytes === row.imageBytes &&
				realistic(candidate) === realistic(row),
		);
		if (limit && !row.group.startsWith('limit')) row.ratioToLimit = row.msPerItem / limit.msPerItem;
		const pipeline = rows.find(
			(candidate) =>
				candidate.group.startsWith('HTTP Request') &&
				candidate.items === row.items &&
				candidate.imageBytes === row.imageBytes &&
				realistic(candidate) === realistic(row),
		);
		if (pipeline && row.group.startsWith('node in real n8n')) row.ratioToHttpRequest = row.msPerItem / pipeline.msPerItem;
	}
	await emulator.stop();

	const results = {
		measuredAt: new Date().toISOString(),
		machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
		tokensMintedInWholeBenchmark: tokensMintedInAll,
		rows,
		queueMode,
	};
	// Compiled to bench/tmp/build/bench/: the results go beside the sources, in bench/.
	const benchDir = join(__dirname, '..', '..', '..');
	mkdirSync(benchDir, { recursive: true });
	writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
	writeFileSync(
		join(benchDir, 'results.svg'),
		barChartSvg(
			'Upload Avatar: milliseconds per item (lower is better)',
			'ms',
			rows.map((row) => ({ label: row.scenario.replace(/^[^:]+: /, ''), value: row.msPerItem, group: row.group })),
		),
	);
	printTable(rows, results.tokensMintedInWholeBenchmark);
	if (queueMode) printQueueMode(queueMode);
}

function printTable(rows: Row[], tokensMinted: number) {
	const header = ['scenario', 'ms/item', '× limit', '× HTTP Request', 'token requests', 'peak RSS MB', 'RSS growth MB'];
	const lines = rows.map((row) => [
		row.scenario,
		row.msPerItem.toFixed(2),
		row.ratioToLimit === undefined ? '' : row.ratioToLimit.toFixed(2),
		row.ratioToHttpRequest === undefined ? '' : row.ratioToHttpRequest.toFixed(2),
		String(row.tokenRequests),
		row.peakRssMb.toFixed(0),
		row.rssGrowthMb.toFixed(0),
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
	const format = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
	console.log(format(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('  '));
	for (const line of lines) console.log(format(line));
	console.log(`\nTokens minted over the whole benchmark (every execution, every concurrency): ${tokensMinted}`);
	console.log('Written: bench/results.json, bench/results.svg');
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
