/**
 * Runs `work` for indexes 0..count-1 with at most `limit` in flight, starting them in index order.
 * Once `shouldStop` says so, no further index is started; those already running finish.
 */
export async function forEachConcurrently(
	count: number,
	limit: number,
	work: (index: number) => Promise<void>,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count && !shouldStop()) {
			const index = next++;
			await work(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
}
