import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

/** Everything a run shows a person: output items, error messages and descriptions, and log lines. */
export class Exposure {
	readonly texts: string[] = [];

	/** What the node logged through n8n's Logger, one entry a line. */
	readonly logLines: string[] = [];

	private restore: Array<() => void> = [];

	captureLogs(): void {
		// n8n's Logger, which a node's this.logger is: its console transport keeps the console it was created with,
		// so only the Logger itself sees every line whatever test created it.
		// The levels it is set to show all go through its log method; the others are no-ops it made read-only.
		const logger = Container.get(Logger) as unknown as { log: (level: string, message: string, metadata: object) => void };
		const log = logger.log;
		logger.log = (level, message, metadata) => {
			const line = `${message} ${JSON.stringify(metadata)}`;
			this.texts.push(line);
			this.logLines.push(line);
			log.call(logger, level, message, metadata);
		};
		this.restore.push(() => (logger.log = log));
		for (const stream of [process.stdout, process.stderr]) {
			const write = stream.write.bind(stream);
			stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
				this.texts.push(String(chunk));
				return write(chunk, ...rest);
			}) as typeof stream.write;
			this.restore.push(() => (stream.write = write));
		}
		for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
			const original = console[level];
			console[level] = (...args: unknown[]) => {
				this.texts.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
			};
			this.restore.push(() => (console[level] = original));
		}
	}

	add(value: unknown): void {
		this.texts.push(JSON.stringify(value) ?? '');
		if (value instanceof Error) this.texts.push(value.message, String((value as { description?: unknown }).description));
	}

	/** The captured texts that contain one of `secrets`, each shortened so a failure does not print a secret whole. */
	leaks(secrets: unknown[]): string[] {
		const values = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 6);
		return this.texts
			.filter((text) => values.some((secret) => text.includes(secret)))
			.map((text) => values.reduce((shown, secret) => shown.split(secret).join(`${secret.slice(0, 3)}…`), text).slice(0, 300));
	}

	release(): void {
		for (const undo of this.restore.splice(0)) undo();
	}
}
