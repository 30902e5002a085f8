import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPOSITORY_ROOT } from '../test/e2e/sandbox/install';

interface BurstFigures {
	executionsPerSecond: number;
	tokensMinted: { classic: number; stable: number };
	tokenRequests: { classic: number; stable: number };
	tokenRequestsByWorker: Record<string, number>;
}

export interface QueueModeFigures {
	scenarios: Record<string, BurstFigures>;
	/** Executions per second with 3 workers over those with 1, on the same burst. */
	scaling: number;
}

/**
 * Queue mode's figures come from the queue-mode suite itself (Redis, PostgreSQL, a real n8n main and 3 workers,
 * 60 webhook executions at once), so the benchmark measures exactly what the suite proves.
 */
export function measureQueueMode(say: (line: string) => void): QueueModeFigures {
	say('Running npm run test:queue for the queue-mode figures (about a minute)...');
	const run = spawnSync('npm', ['run', 'test:queue', '--silent'], { cwd: REPOSITORY_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	if (run.status !== 0) throw new Error(`npm run test:queue failed:\n${`${run.stdout}${run.stderr}`.slice(-3000)}`);
	const figures = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'test', 'queue', 'tmp', 'figures.json'), 'utf8')) as Record<string, unknown>;
	const { scaling, ...scenarios } = figures;
	return { scenarios: scenarios as Record<string, BurstFigures>, scaling: Number(scaling) };
}

export function printQueueMode(figures: QueueModeFigures): void {
	console.log('\nQueue mode (n8n 2.40.7 main + 3 workers, 60 webhook executions at once):');
	for (const [name, burst] of Object.entries(figures.scenarios)) {
		const minted = burst.tokensMinted.stable + burst.tokensMinted.classic;
		const requests = Object.values(burst.tokenRequestsByWorker).join('/') || '0';
		console.log(`  ${name.padEnd(34)} ${burst.executionsPerSecond.toFixed(1).padStart(5)} executions/s, tokens minted ${minted}, token requests per worker ${requests}`);
	}
	console.log(`  scaling, 3 workers over 1: ${figures.scaling.toFixed(2)}`);
}
