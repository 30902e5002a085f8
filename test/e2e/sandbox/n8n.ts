import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import type { N8nInstallation } from './install';
import { freePort, runProcess, startProcess, type ProcessResult, type RunningProcess } from './processes';
import { N8nRestClient } from './rest';
import { parseExecuteOutput, parseStoredRunData, type ExecutionRun } from './runData';
import type { WorkflowJson } from './workflows';

export const PACKAGE_NAME = 'n8n-nodes-wechat-customer-service';
export const CREDENTIAL_TYPE = 'wechatOfficialAccountApi';

/**
 * How n8n finds the package:
 * - `community`: installed with npm into `<user folder>/.n8n/nodes`, where n8n's Community Nodes installs
 *   packages; node types are `<package>.<node>`;
 * - `custom`: a folder named by N8N_CUSTOM_EXTENSIONS (the Docker route); node types are `CUSTOM.<node>`.
 */
export type Loading = 'community' | 'custom';

export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface ExecuteResult {
	/** The exit code of `n8n execute`, or the signal that ended it. */
	code: number | string;
	run: ExecutionRun;
	output: string;
}

export interface ManualRun {
	run: ExecutionRun;
	/** What n8n logged while the run went on. */
	log: string;
}

export interface N8nServer {
	baseUrl: string;
	process: RunningProcess;
	stop(): Promise<void>;
}

/** An `n8n start` whose owner is set up, with a REST client signed in as that owner. */
export interface OwnedServer extends N8nServer {
	rest: N8nRestClient;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** How an execution can end (n8n's ExecutionStatus); `waiting` is not one: the suite has no Wait node. */
const FINAL_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/** Strings n8n's log may only contain about this package when something went wrong loading it. */
const LOAD_FAILURE = /failed to load|not a constructor|unrecognized (node|credential) type|could not (load|find)|error loading/i;

/** One real n8n with this package installed into a fresh user folder, driven through its CLI and REST API. */
export class N8nInstance {
	/** Every command's output, in order: what a failing test shows and what the load check reads. */
	readonly transcript: string[] = [];

	private constructor(
		readonly installation: N8nInstallation,
		readonly loading: Loading,
		/** The folder holding everything of this instance: user folder, extensions, files, imports. */
		readonly root: string,
		readonly userFolder: string,
		/** The only folder n8n's file nodes may read (N8N_RESTRICT_FILE_ACCESS_TO). */
		readonly filesFolder: string,
		private readonly customExtensionsFolder: string | undefined,
		/** Settings every n8n process of this instance gets on top of the sandbox's (queue mode: Redis, PostgreSQL). */
		private readonly extraEnvironment: NodeJS.ProcessEnv = {},
	) {}

	/** Creates a fresh user folder and installs the packed package into it the way `loading` says. */
	static async create(options: {
		installation: N8nInstallation;
		tarball: string;
		loading?: Loading;
		root?: string;
		environment?: NodeJS.ProcessEnv;
	}): Promise<N8nInstance> {
		const loading = options.loading ?? 'community';
		const root = options.root ?? mkdtempSync(join(tmpdir(), `wechat-kf-n8n-${options.installation.version}-`));
		const userFolder = join(root, 'user');
		const filesFolder = join(root, 'files');
		mkdirSync(filesFolder, { recursive: true });
		const installFolder = loading === 'community' ? join(userFolder, '.n8n', 'nodes') : join(root, 'extensions');
		mkdirSync(installFolder, { recursive: true });
		writeFileSync(join(installFolder, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		// As n8n installs a community package: no install scripts, and no peer dependencies (n8n brings n8n-workflow).
		const installed = await runProcess(
			npm,
			['install', '--ignore-scripts', '--omit=dev', '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error', options.tarball],
			{ cwd: installFolder, timeoutMs: 3 * 60_000 },
		);
		if (installed.code !== 0) throw new Error(`npm install of the package failed:\n${installed.output}`);
		const customExtensionsFolder = loading === 'custom' ? join(installFolder, 'node_modules', PACKAGE_NAME) : undefined;
		return new N8nInstance(options.installation, loading, root, userFolder, filesFolder, customExtensionsFolder, options.environment);
	}

	get version(): string {
		return this.installation.version;
	}

	get majorVersion(): number {
		return Number(this.installation.version.split('.')[0]);
	}

	/** The node type name workflows must use for the package's node under this loading method. */
	get nodeType(): string {
		return `${this.loading === 'community' ? PACKAGE_NAME : 'CUSTOM'}.wechatCustomerService`;
	}

	private async environment(logLevel: string, port?: number): Promise<NodeJS.ProcessEnv> {
		const inherited = { ...process.env };
		// Under jest NODE_ENV is "test", which makes n8n refuse to load nodes; n8n's own settings come from here only.
		for (const name of Object.keys(inherited)) {
			if (name === 'NODE_ENV' || name === 'NODE_OPTIONS' || name.startsWith('N8N_') || name.startsWith('JEST_')) {
				delete inherited[name];
			}
		}
		return {
			...inherited,
			PATH: `${dirname(this.installation.nodeBinary)}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_LOG_LEVEL: logLevel,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_RESTRICT_FILE_ACCESS_TO: this.filesFolder,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PORT: String(port ?? (await freePort())),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_SECURE_COOKIE: 'false',
			...(this.customExtensionsFolder ? { N8N_CUSTOM_EXTENSIONS: this.customExtensionsFolder } : {}),
			...this.extraEnvironment,
		};
	}

	/** Runs `n8n <args>` to its end. `logLevel` info is what `execute` needs to print the run. */
	async cli(
		args: string[],
		options: { logLevel?: string; timeoutMs?: number; onStart?: (pid: number) => void } = {},
	): Promise<ProcessResult> {
		const env = await this.environment(options.logLevel ?? 'info');
		const result = await runProcess(this.installation.nodeBinary, [this.installation.n8nScript, ...args], {
			cwd: this.root,
			env,
			timeoutMs: options.timeoutMs ?? 180_000,
			onStart: options.onStart,
		});
		this.transcript.push(`$ n8n ${args.join(' ')} (exit ${result.code})\n${result.output}`);
		return result;
	}

	private async cliOrThrow(args: string[]): Promise<ProcessResult> {
		const result = await this.cli(args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
		return result;
	}

	private writeImport(name: string, content: unknown): string {
		const file = join(this.root, 'imports', name);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, JSON.stringify(content, null, 2));
		return file;
	}

	/** `n8n import:credentials`: n8n encrypts the data with the user folder's key. */
	async importCredentials(credentials: CredentialJson[]): Promise<void> {
		await this.cliOrThrow(['import:credentials', `--input=${this.writeImport(`credentials-${Date.now()}.json`, credentials)}`]);
	}

	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		await this.cliOrThrow(['import:workflow', `--input=${this.writeImport(`workflows-${Date.now()}.json`, workflows)}`]);
	}

	/**
	 * Runs a workflow from its Manual Trigger on a running `n8n start`, as the editor's *Execute
	 * workflow* button does, and waits for the stored execution. Not `n8n execute`: that command exits while n8n's
	 * expression engine may still be creating or deleting an isolate on isolated-vm's threads, and then dies with
	 * SIGSEGV after a good run (see README, "The n8n runtime").
	 */
	async runManually(server: OwnedServer, workflowId: string): Promise<ManualRun> {
		const logFrom = server.process.output().length;
		const executionId = await server.rest.startManualRun(workflowId);
		const deadline = Date.now() + 10 * 60_000;
		for (;;) {
			const stored = await server.rest.execution(executionId);
			// n8n 1.x on SQLite stores the status, then the run data, in two statements: read until both are there.
			const data = FINAL_STATUSES.includes(stored.status) && stored.data ? parseStoredRunData(this.installation, stored.data) : undefined;
			if (data?.resultData && (data.resultData.lastNodeExecuted !== undefined || data.resultData.error)) {
				const log = server.process.output().slice(logFrom);
				return { run: { status: stored.status, finished: stored.finished, mode: stored.mode, data }, log };
			}
			if (Date.now() > deadline) throw new Error(`execution ${executionId} of workflow ${workflowId} did not end in 10 minutes`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`, parsed: a failed run gives a non-zero code and still its JSON. One process
	 * per run, which is what the benchmark's peak memory needs; tests use `runManually` (see there why).
	 */
	async execute(workflowId: string, options: { onStart?: (pid: number) => void } = {}): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { ...options, timeoutMs: 600_000 });
		return { code: result.code, run: parseExecuteOutput(result.stdout), output: result.output };
	}

	/** Makes a workflow's triggers (webhooks) live at the next `n8n start`. */
	async activate(workflowId: string): Promise<void> {
		// 2.x publishes a version of a workflow; 1.x has no versions and switches `active` on.
		await this.cliOrThrow(
			this.majorVersion >= 2
				? ['publish:workflow', `--id=${workflowId}`]
				: ['update:workflow', `--id=${workflowId}`, '--active=true'],
		);
	}

	/** `n8n start` on loopback; resolves once its REST API answers. */
	async start(options: { port?: number; onLine?: (line: string) => void } = {}): Promise<N8nServer> {
		const port = options.port ?? (await freePort());
		const env = await this.environment('info', port);
		const server = startProcess(this.installation.nodeBinary, [this.installation.n8nScript, 'start'], {
			cwd: this.root,
			env,
			onLine: options.onLine,
		});
		const baseUrl = `http://127.0.0.1:${port}`;
		const stop = async () => {
			await server.stop();
			this.transcript.push(`$ n8n start (stopped)\n${server.output()}`);
		};
		// The health check answers before the REST routes exist (1.x): wait for a REST route.
		await untilReady(server, stop, () => restApiAnswers(`${baseUrl}/rest/settings`), `n8n start did not come up on port ${port}`);
		return { baseUrl, process: server, stop };
	}

	/** `n8n start` with the sandbox's owner set up (a fresh user folder has none) and signed in. */
	async startWithOwner(options: Parameters<N8nInstance['start']>[0] = {}): Promise<OwnedServer> {
		const server = await this.start(options);
		const rest = new N8nRestClient(server.baseUrl);
		try {
			await rest.setUpOwner();
		} catch (error) {
			await server.stop();
			throw error;
		}
		return { ...server, rest };
	}

	/**
	 * `n8n worker` (queue mode: the instance's environment must name Redis and PostgreSQL); resolves once its health
	 * server says it is ready, which it does after connecting to both.
	 */
	async startWorker(options: { concurrency: number; onLine?: (line: string) => void }): Promise<N8nServer> {
		const healthPort = await freePort();
		const env = {
			...(await this.environment('info')),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		};
		const worker = startProcess(
			this.installation.nodeBinary,
			[this.installation.n8nScript, 'worker', `--concurrency=${options.concurrency}`],
			{ cwd: this.root, env, onLine: options.onLine },
		);
		const baseUrl = `http://127.0.0.1:${healthPort}`;
		const stop = async () => {
			await worker.stop();
			this.transcript.push(`$ n8n worker (pid ${worker.pid}, stopped)\n${worker.output()}`);
		};
		await untilReady(worker, stop, () => answersOk(`${baseUrl}/healthz/readiness`), `n8n worker did not become ready on port ${healthPort}`);
		return { baseUrl, process: worker, stop };
	}

	/**
	 * Lines of n8n's log that show this package, its node or its credential failed to load, from a command that
	 * only loads nodes (`list:workflow`) at log level `warn`, so every line it prints is a warning or an error.
	 */
	async loadProblems(): Promise<{ problems: string[]; warnings: string[] }> {
		const result = await this.cli(['list:workflow'], { logLevel: 'warn' });
		const warnings = result.output.split('\n').filter((line) => line.trim() && !/^\S{16}\|/.test(line));
		const problems = [
			...warnings.filter((line) => /wechat/i.test(line) || LOAD_FAILURE.test(line)),
			// Every other command so far, at level info: a load failure shows there too.
			...this.transcript.join('\n').split('\n').filter((line) => LOAD_FAILURE.test(line)),
		];
		return { problems: [...new Set(problems)], warnings };
	}

	/** Deletes the instance's folder, unless N8N_E2E_KEEP asks to keep it for a look. */
	dispose(): void {
		if (!process.env.N8N_E2E_KEEP) rmSync(this.root, { recursive: true, force: true });
	}
}

/**
 * Whether the REST route answers with its JSON. While `n8n start` migrates the database it answers every path
 * with HTTP 200 and the text "n8n is starting up. Please wait", before its REST routes exist.
 */
async function restApiAnswers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
		const text = await response.text();
		return response.ok && (JSON.parse(text) as { data?: unknown }).data !== undefined;
	} catch {
		return false;
	}
}

/** Waits up to two minutes for `ready`; if the process exits or time runs out, stops it and fails with its output. */
async function untilReady(
	running: RunningProcess,
	stop: () => Promise<void>,
	ready: () => Promise<boolean>,
	failure: string,
): Promise<void> {
	let exited = false;
	void running.exited.then(() => (exited = true));
	const deadline = Date.now() + 120_000;
	while (!(await ready())) {
		if (exited || Date.now() > deadline) {
			await stop();
			throw new Error(`${failure}:\n${running.output().slice(-4000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

async function answersOk(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
		await response.text();
		return response.ok;
	} catch {
		return false;
	}
}
