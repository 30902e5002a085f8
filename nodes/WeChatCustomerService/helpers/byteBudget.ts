/**
 * Bounds the bytes an execution holds at once for items in flight, rather than the number of items: with large
 * images fewer run side by side, with small ones as many as the Concurrency option allows. One item alone may
 * always take more than the whole budget, so a single large file never waits forever.
 */
export class ByteBudget {
	private used = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(readonly limit: number) {}

	/** Waits until `bytes` fit (or nothing else is held), takes them, and returns how to give them back. */
	async take(bytes: number): Promise<() => void> {
		const share = Math.min(Math.max(0, bytes), this.limit);
		while (this.used > 0 && this.used + share > this.limit) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
		this.used += share;
		let returned = false;
		return () => {
			if (returned) return;
			returned = true;
			this.used -= share;
			for (const wake of this.waiting.splice(0)) wake();
		};
	}
}
