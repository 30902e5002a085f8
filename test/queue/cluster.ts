import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { N8nInstallation } from '../e2e/sandbox/install';
import { N8nInstance, type CredentialJson, type N8nServer } from '../e2e/sandbox/n8n';
import type { WorkflowJson } from '../e2e/sandbox/workflows';
import { findServiceBinaries, startPostgres, startRedis, type Postgres, type Service } from './services';

/** n8n in queue mode on loopback: Redis, PostgreSQL, one main taking the webhooks and workers running the executions. */
export interface QueueCluster {
	n8n: N8nInstance;
	redis: Service;
	postgres: Postgres;
	main: N8nServer;
	workers: N8nServer[];
	/** Stops every process the cluster started, by PID: n8n first, then Redis and PostgreSQL. Safe to call twice. */
	stop(): Promise<void>;
}

/**
 * Starts Redis and PostgreSQL, imports the credentials and the (active) workflows, then starts the main instance and
 * `workers` workers of `concurrency` each, all sharing one user folder and encryption key. Whatever fails on the
 * way, what was started is stopped before the error is thrown.
 */
export async function startQueueCluster(options: {
	installation: N8nInstallation;
	tarball: string;
	workers: number;
	concurrency: number;
	credentials: CredentialJson[];
	workflows: WorkflowJson[];
	onLine?: (source: string, line: string) => void;
}): Promise<QueueCluster> {
	const binaries = findServiceBinaries();
	const root = mkdtempSync(join(tmpdir(), 'wechat-kf-queue-'));
	// PostgreSQL runs as its own user, which must get through to its folder inside.
	chmodSync(root, 0o711);
	const started: N8nServer[] = [];
	let stopped: Promise<void> | undefined;
	const stopAll = () =>
		(stopped ??= (async () => {
			// n8n before the services it uses; the workers and main together.
			await Promise.all(started.map((server) => server.stop().catch(() => undefined)));
			await Promise.all([redis?.stop(), postgres?.stop()].map((stopping) => stopping?.catch(() => undefined)));
			if (!process.env.N8N_E2E_KEEP) rmSync(root, { recursive: true, force: true });
		})());
	let redis: Service | undefined;
	let postgres: Postgres | undefined;
	try {
		// Settled, not Promise.all: if one fails, the other must still be known to stopAll.
		const [redisStart, postgresStart] = await Promise.allSettled([
			startRedis(binaries, join(root, 'redis')),
			startPostgres(binaries, join(root, 'postgres')),
		]);
		if (redisStart.status === 'fulfilled') redis = redisStart.value;
		if (postgresStart.status === 'fulfilled') postgres = postgresStart.value;
		if (redisStart.status === 'rejected') throw redisStart.reason;
		if (postgresStart.status === 'rejected') throw postgresStart.reason;
		const services = { redis: redisStart.value, postgres: postgresStart.value };
		mkdirSync(join(root, 'n8n'), { recursive: true });
		const n8n = await N8nInstance.create({
			installation: options.installation,
			tarball: options.tarball,
			root: join(root, 'n8n'),
			environment: {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(services.redis.port),
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(services.postgres.port),
				DB_POSTGRESDB_DATABASE: services.postgres.database,
				DB_POSTGRESDB_USER: services.postgres.user,
				DB_POSTGRESDB_PASSWORD: services.postgres.password,
				N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
				N8N_HOST: '127.0.0.1',
				N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			},
		});
		await n8n.importCredentials(options.credentials);
		await n8n.importWorkflows(options.workflows);
		// Not `import:workflow --activeState=fromJson`: in 2.40.7 it fails for workflows with credentials ("User
		// attempted to activate a workflow without permissions"); publishing each one works.
		for (const workflow of options.workflows) if (workflow.active) await n8n.activate(workflow.id);
		const say = (source: string) => (line: string) => options.onLine?.(source, line);
		const main = await n8n.start({ onLine: say('main') });
		started.push(main);
		// Settled, not Promise.all: a worker that fails must not leave the others starting unseen by stopAll.
		const starting = await Promise.allSettled(
			Array.from({ length: options.workers }, (_, index) =>
				n8n.startWorker({ concurrency: options.concurrency, onLine: say(`worker${index + 1}`) }),
			),
		);
		const workers = starting.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
		started.push(...workers);
		const failed = starting.find((outcome) => outcome.status === 'rejected');
		if (failed) throw failed.reason;
		return { n8n, ...services, main, workers, stop: stopAll };
	} catch (error) {
		await stopAll();
		throw error;
	}
}
