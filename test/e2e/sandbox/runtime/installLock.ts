import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 2_000;
/** A lock folder without its pid file for this long was left by a process killed while taking it. */
const UNCLAIMED_LOCK_MS = 10_000;

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The pid holding the lock, or undefined when the lock is stale (its holder is gone) and may be taken over. */
function holder(lock: string): number | undefined {
	try {
		const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
		return alive(pid) ? pid : undefined;
	} catch {
		try {
			return Date.now() - statSync(lock).mtimeMs < UNCLAIMED_LOCK_MS ? 0 : undefined;
		} catch {
			return 0;
		}
	}
}

/**
 * Runs `work` while holding `<folder>.lock`, so two `npm run` commands never install into, or wipe, the same
 * runtime at once; the second waits, saying for whom. A lock whose process is gone is taken over.
 */
export async function withInstallLock<T>(folder: string, say: (line: string) => void, work: () => Promise<T>): Promise<T> {
	const lock = `${folder}.lock`;
	mkdirSync(dirname(lock), { recursive: true });
	for (let told = false; ; ) {
		try {
			mkdirSync(lock);
			writeFileSync(join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const pid = holder(lock);
			if (pid === undefined) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!told) say(`Another process${pid ? ` (pid ${pid})` : ''} is installing or repairing ${folder}: waiting for it.`);
			told = true;
			await sleep(POLL_MS);
		}
	}
	try {
		return await work();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}
