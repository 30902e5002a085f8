import { readFileSync } from 'node:fs';

/** Samples a process's peak resident memory (VmHWM, which the kernel keeps) until stopped. */
export function watchPeakRss(): { onStart: (pid: number) => void; peakMb: () => number } {
	let peakKb = 0;
	let timer: NodeJS.Timeout | undefined;
	const sample = (pid: number) => {
		try {
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
			if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
		} catch {
			if (timer) clearInterval(timer);
		}
	};
	return {
		onStart: (pid) => {
			timer = setInterval(() => sample(pid), 20);
		},
		peakMb: () => {
			if (timer) clearInterval(timer);
			return peakKb / 1024;
		},
	};
}
