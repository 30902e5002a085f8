/** `95 s` → `1 min 35 s`. */
export function duration(milliseconds: number): string {
	const seconds = Math.max(0, Math.round(milliseconds / 1000));
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
}

/**
 * Runs one long step and tells a waiting user, every `everyMs`, how long it has taken and roughly how long is
 * left, measured against how long the step usually takes on a 2-core machine.
 */
export async function timedStep<T>(
	say: (line: string) => void,
	label: string,
	usualMs: number,
	work: () => Promise<T>,
	everyMs = 30_000,
): Promise<T> {
	const started = Date.now();
	say(`${label} (usually about ${duration(usualMs)})...`);
	const heartbeat = setInterval(() => {
		const elapsed = Date.now() - started;
		const left = usualMs - elapsed;
		say(`  ... ${label}: ${duration(elapsed)} so far, ${left > 10_000 ? `about ${duration(left)} left` : 'should finish soon'}`);
	}, everyMs);
	try {
		const result = await work();
		say(`  ${label}: done in ${duration(Date.now() - started)}.`);
		return result;
	} finally {
		clearInterval(heartbeat);
	}
}
