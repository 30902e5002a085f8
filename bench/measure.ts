/** Wall time and the process's peak resident memory over one piece of work. */
export interface Measurement {
	ms: number;
	rssBeforeMb: number;
	peakRssMb: number;
}

const MB = 1024 * 1024;

export async function measure(work: () => Promise<void>): Promise<Measurement> {
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let peak = rssBefore;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 10);
	const started = process.hrtime.bigint();
	try {
		await work();
	} finally {
		clearInterval(sampler);
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	peak = Math.max(peak, process.memoryUsage().rss);
	return { ms, rssBeforeMb: rssBefore / MB, peakRssMb: peak / MB };
}
