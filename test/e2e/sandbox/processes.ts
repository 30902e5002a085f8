import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A child process in its own process group, so stopping it also stops what it started (n8n's task runners). */
export interface RunningProcess {
	pid: number;
	/** Everything it wrote to stdout and stderr so far, interleaved. */
	output(): string;
	stdout(): string;
	/** Resolves with the exit code (or the signal's name) once it has exited. */
	exited: Promise<number | string>;
	/** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it has exited. */
	stop(graceMs?: number): Promise<void>;
}

const live = new Map<number, ChildProcess>();

function killGroup(pid: number, signal: NodeJS.Signals) {
	try {
		process.kill(-pid, signal);
	} catch {
		// Already gone.
	}
}

// Whatever way this process ends, no child it started outlives it.
process.once('exit', () => {
	for (const pid of live.keys()) killGroup(pid, 'SIGKILL');
});

const shutdownSteps: Array<() => Promise<void> | void> = [];

/** Work to do (newest first) when Ctrl-C or a kill signal ends this process, before its children are stopped. */
export function onShutdown(step: () => Promise<void> | void): void {
	shutdownSteps.push(step);
}

let shuttingDown = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	// Children run in their own process groups, so a terminal's Ctrl-C reaches only us: pass it on, by PID.
	process.on(signal, () => {
		if (shuttingDown) return;
		shuttingDown = true;
		void (async () => {
			for (const step of shutdownSteps.reverse()) await Promise.resolve(step()).catch(() => undefined);
			await Promise.all([...live.keys()].map((pid) => stopGroup(pid, 5_000)));
			process.exit(signal === 'SIGINT' ? 130 : 143);
		})();
	});
}

async function stopGroup(pid: number, graceMs: number): Promise<void> {
	const child = live.get(pid);
	if (!child) return;
	const exited = new Promise((resolve) => child.once('close', resolve));
	killGroup(pid, 'SIGTERM');
	const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

export function startProcess(
	command: string,
	args: string[],
	options: {
		cwd?: string;
		env?: NodeJS.ProcessEnv;
		onLine?: (line: string) => void;
		/** Run as this user and group (root only): PostgreSQL refuses to run as root. */
		uid?: number;
		gid?: number;
	} = {},
): RunningProcess {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		uid: options.uid,
		gid: options.gid,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (child.pid === undefined) throw new Error(`could not start ${command}`);
	const pid = child.pid;
	live.set(pid, child);
	let output = '';
	let stdout = '';
	let partialLine = '';
	const collect = (chunk: Buffer, isStdout: boolean) => {
		const text = chunk.toString('utf8');
		output += text;
		if (isStdout) stdout += text;
		if (!options.onLine) return;
		const lines = (partialLine + text).split('\n');
		partialLine = lines.pop() ?? '';
		for (const line of lines) options.onLine(line);
	};
	child.stdout?.on('data', (chunk: Buffer) => collect(chunk, true));
	child.stderr?.on('data', (chunk: Buffer) => collect(chunk, false));
	const exited = new Promise<number | string>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (code, signal) => {
			live.delete(pid);
			// The leader is gone; anything it left in its group goes too.
			killGroup(pid, 'SIGKILL');
			if (partialLine && options.onLine) options.onLine(partialLine);
			resolve(code ?? signal ?? 'unknown');
		});
	});
	return {
		pid,
		output: () => output,
		stdout: () => stdout,
		exited,
		async stop(graceMs = 10_000) {
			if (!live.has(pid)) return;
			killGroup(pid, 'SIGTERM');
			const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
			await exited.catch(() => undefined);
			clearTimeout(timer);
		},
	};
}

export interface ProcessResult {
	code: number | string;
	output: string;
	stdout: string;
}

/** Runs a command to its end; stops it (and fails) after `timeoutMs`. */
export async function runProcess(
	command: string,
	args: string[],
	options: {
		cwd?: string;
		env?: NodeJS.ProcessEnv;
		timeoutMs?: number;
		onLine?: (line: string) => void;
		/** Told the process id once it runs (the benchmark samples its memory). */
		onStart?: (pid: number) => void;
		uid?: number;
		gid?: number;
	} = {},
): Promise<ProcessResult> {
	const running = startProcess(command, args, options);
	options.onStart?.(running.pid);
	const timeoutMs = options.timeoutMs ?? 120_000;
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void running.stop(2_000);
	}, timeoutMs);
	try {
		const code = await running.exited;
		if (timedOut) {
			throw new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs} ms:\n${running.output().slice(-4000)}`);
		}
		return { code, output: running.output(), stdout: running.stdout() };
	} finally {
		clearTimeout(timer);
	}
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}
