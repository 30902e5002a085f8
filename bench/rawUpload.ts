/** The limit: multipart POSTs straight from Node to the emulator, no n8n in between. */
export async function rawUploads(
	baseUrl: string,
	accessToken: string,
	kfAccount: string,
	image: Buffer,
	count: number,
	inFlight: number,
): Promise<void> {
	const url = `${baseUrl}/customservice/kfaccount/uploadheadimg?access_token=${encodeURIComponent(accessToken)}&kf_account=${encodeURIComponent(kfAccount)}`;
	let next = 0;
	const worker = async () => {
		while (next < count) {
			next++;
			const form = new FormData();
			form.append('media', new Blob([image], { type: 'image/jpeg' }), 'avatar.jpg');
			const answer = (await (await fetch(url, { method: 'POST', body: form })).json()) as { errcode: number };
			if (answer.errcode !== 0) throw new Error(`raw upload failed with errcode ${answer.errcode}`);
		}
	};
	await Promise.all(Array.from({ length: inFlight }, worker));
}
