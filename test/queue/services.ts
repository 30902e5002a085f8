import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, runProcess, startProcess, type RunningProcess } from '../e2e/sandbox/processes';

/** A service the suite started on loopback, stopped by its PID. */
export interface Service {
	port: number;
	process: RunningProcess;
	stop(): Promise<void>;
}

const HOW_TO_INSTALL = 'Install them with: apt-get update && apt-get install -y redis-server postgresql iproute2';

/** Where a binary is: on PATH, or where Debian's postgresql package puts its server binaries. */
function findBinary(name: string): string | undefined {
	const folders = [
		...(process.env.PATH ?? '').split(':').filter(Boolean),
		...(existsSync('/usr/lib/postgresql')
			? readdirSync('/usr/lib/postgresql')
					.sort()
					.reverse()
					.map((version) => join('/usr/lib/postgresql', version, 'bin'))
			: []),
	];
	return folders.map((folder) => join(folder, name)).find((path) => existsSync(path));
}

export interface ServiceBinaries {
	redisServer: string;
	initdb: string;
	postgres: string;
	psql: string;
	/** iproute2's socket lister: which worker sent a request is read from the owner of its socket. */
	ss: string;
}

/** The Redis and PostgreSQL binaries queue mode needs, and ss; an error naming the missing ones and how to install them. */
export function findServiceBinaries(): ServiceBinaries {
	const found = {
		redisServer: findBinary('redis-server'),
		initdb: findBinary('initdb'),
		postgres: findBinary('postgres'),
		psql: findBinary('psql'),
		ss: findBinary('ss'),
	};
	const missing = Object.entries(found)
		.filter(([, path]) => !path)
		.map(([name]) => (name === 'redisServer' ? 'redis-server' : name));
	if (missing.length) {
		throw new Error(`npm run test:queue needs Redis, PostgreSQL and ss on this machine; not found: ${missing.join(', ')}. ${HOW_TO_INSTALL}`);
	}
	return found as ServiceBinaries;
}

async function waitFor(what: string, ready: () => Promise<boolean>, service: RunningProcess, timeoutMs = 60_000): Promise<void> {
	let exited = false;
	void service.exited.then(() => (exited = true));
	const deadline = Date.now() + timeoutMs;
	while (!(await ready())) {
		if (exited || Date.now() > deadline) {
			await service.stop(2_000);
			throw new Error(`${what} did not come up:\n${service.output().slice(-3000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Redis on loopback, nothing saved to disk. */
export async function startRedis(binaries: ServiceBinaries, folder: string): Promise<Service> {
	mkdirSync(folder, { recursive: true });
	const port = await freePort();
	const redis = startProcess(binaries.redisServer, ['--bind', '127.0.0.1', '--port', String(port), '--dir', folder, '--save', '', '--appendonly', 'no']);
	await waitFor('redis-server', async () => /Ready to accept connections/i.test(redis.output()), redis);
	return { port, process: redis, stop: () => redis.stop(5_000) };
}

/** The account PostgreSQL runs as: `postgres` when we are root (it refuses root), else ourselves. */
function postgresAccount(): { uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return {};
	const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

export interface Postgres extends Service {
	database: string;
	user: string;
	password: string;
	/** Runs SQL in the n8n database with psql; rows as tab-separated lines. */
	query(sql: string): Promise<string[]>;
}

/** A fresh PostgreSQL cluster in `folder` on loopback (trust authentication), with a user and a database for n8n. */
export async function startPostgres(binaries: ServiceBinaries, folder: string): Promise<Postgres> {
	const account = postgresAccount();
	const dataFolder = join(folder, 'data');
	const socketFolder = join(folder, 'socket');
	for (const path of [folder, socketFolder]) mkdirSync(path, { recursive: true });
	if (account.uid !== undefined) for (const path of [folder, socketFolder]) chownSync(path, account.uid, account.gid ?? account.uid);
	const environment = { ...process.env, LC_ALL: 'C', HOME: folder };
	const initialized = await runProcess(binaries.initdb, ['-D', dataFolder, '-A', 'trust', '-U', 'postgres', '--no-sync'], {
		...account,
		cwd: folder,
		env: environment,
		timeoutMs: 120_000,
	});
	if (initialized.code !== 0) throw new Error(`initdb failed (exit ${initialized.code}):\n${initialized.output.slice(-3000)}`);
	const port = await freePort();
	const server = startProcess(
		binaries.postgres,
		['-D', dataFolder, '-c', 'listen_addresses=127.0.0.1', '-p', String(port), '-k', socketFolder, '-c', 'fsync=off', '-c', 'max_connections=200'],
		{ ...account, cwd: folder, env: environment },
	);
	const psql = async (database: string, sql: string) =>
		await runProcess(binaries.psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-XAtq', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
			env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
			timeoutMs: 60_000,
		});
	await waitFor('postgres', async () => (await psql('postgres', 'SELECT 1')).code === 0, server);
	const user = 'n8n';
	const password = 'n8n-sandbox';
	const database = 'n8n';
	for (const sql of [`CREATE USER ${user} PASSWORD '${password}'`, `CREATE DATABASE ${database} OWNER ${user}`]) {
		const created = await psql('postgres', sql);
		if (created.code !== 0) throw new Error(`${sql} failed:\n${created.output}`);
	}
	return {
		port,
		process: server,
		database,
		user,
		password,
		// SIGTERM is PostgreSQL's "smart" shutdown: quick once n8n, its only client, has stopped.
		stop: () => server.stop(15_000),
		async query(sql) {
			const result = await psql(database, sql);
			if (result.code !== 0) throw new Error(`psql failed: ${sql}\n${result.output}`);
			return result.stdout.split('\n').filter((line) => line !== '');
		},
	};
}
