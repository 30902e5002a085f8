import { randomBytes } from 'crypto';

export interface MultipartBody {
	body: Buffer;
	contentType: string;
}

/** Quotes a file name in Content-Disposition the way browsers and undici's FormData do. */
function quotedFileName(fileName: string): string {
	return fileName.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * One file part as a complete multipart/form-data body in a single buffer: the bytes are copied once and sent as
 * they are, rather than through a Blob and a stream of copies per request.
 */
export function singleFileMultipart(field: string, fileName: string, mimeType: string, bytes: Uint8Array): MultipartBody {
	const boundary = `----n8nWeChatBoundary${randomBytes(12).toString('hex')}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${quotedFileName(fileName)}"\r\nContent-Type: ${mimeType}\r\n\r\n`,
		'utf8',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	return { body: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}
