import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { imageDownloadFailure, type WeChatFailure } from '../errors';
import { MAX_AVATAR_BYTES } from '../validation';
import { describeRequestError } from './classifyError';

/** Browsers give up after 20; a photo link needs a few at most. */
const MAX_REDIRECTS = 10;

export interface DownloadedImage {
	bytes: Buffer;
	/** The last segment of the URL's path, when it has one. */
	fileName?: string;
	mimeType: string;
}

interface ResponseBody extends AsyncIterable<Buffer> {
	destroy(): void;
}

/**
 * Downloads an avatar through n8n's own request helper, so n8n's proxy and SSRF settings apply. Stops reading at
 * 5 MB (at once when Content-Length says more), and gives up after `timeoutMs` in all, body included.
 */
export async function downloadImage(
	context: IExecuteFunctions,
	url: string,
	{ timeoutMs, cancelSignal }: { timeoutMs: number; cancelSignal?: AbortSignal },
): Promise<DownloadedImage | WeChatFailure> {
	const deadline = AbortSignal.timeout(timeoutMs);
	// Aborting the request is what closes the connection; destroying the body stream alone leaves it open.
	const refusal = new AbortController();
	const abortSignal = AbortSignal.any([refusal.signal, deadline, ...(cancelSignal ? [cancelSignal] : [])]);
	const stop = (body: ResponseBody) => {
		refusal.abort();
		body.destroy();
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			maxRedirects: MAX_REDIRECTS,
			timeout: timeoutMs,
			abortSignal,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		return requestFailure(error, deadline);
	}
	const body = response.body as ResponseBody;
	if (response.statusCode >= 400) {
		stop(body);
		return imageDownloadFailure('http status', `HTTP ${response.statusCode}`, response.statusCode);
	}
	const declaredLength = Number(response.headers['content-length']);
	if (declaredLength > MAX_AVATAR_BYTES) {
		stop(body);
		return imageDownloadFailure('too large', `Content-Length: ${declaredLength} bytes`);
	}
	const chunks: Buffer[] = [];
	let received = 0;
	try {
		for await (const chunk of body) {
			received += chunk.length;
			if (received > MAX_AVATAR_BYTES) {
				stop(body);
				return imageDownloadFailure('too large', `more than ${MAX_AVATAR_BYTES} bytes arrived`);
			}
			chunks.push(chunk);
		}
	} catch (error) {
		return requestFailure(error, deadline);
	}
	return { bytes: Buffer.concat(chunks), fileName: lastPathSegment(url), mimeType: String(response.headers['content-type'] ?? '') };
}

function requestFailure(error: unknown, deadline: AbortSignal): WeChatFailure {
	if (deadline.aborted) return imageDownloadFailure('timeout', 'the download took longer than the Timeout option');
	const { kind, detail, status } = describeRequestError(error);
	if (kind === 'http status') return imageDownloadFailure('http status', detail, status);
	return imageDownloadFailure(kind, detail);
}

function lastPathSegment(url: string): string | undefined {
	const segment = new URL(url).pathname.split('/').pop();
	if (!segment) return undefined;
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
