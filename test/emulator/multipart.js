'use strict';

const crypto = require('node:crypto');
const busboy = require('busboy');
const { drainRequest } = require('./http-io');
const { SIGNATURE_BYTES } = require('./image-types');
const { MultipartPartHeaderScanner, multipartBoundary } = require('./multipart-part-headers');

/**
 * @typedef {object} ReceivedFile
 * @property {string} fileName as it arrived (decoded from `filename*` when present, path kept)
 * @property {boolean} fileNameRawAscii the `filename` parameter on the wire was printable ASCII, without `filename*`
 * @property {string | null} contentType as the part declared it; null when the part had no Content-Type
 * @property {number} size
 * @property {string} sha256 hex
 * @property {Buffer} leadingBytes the first bytes, to check the real image type
 * @typedef {{ ok: true, file: ReceivedFile } | { ok: false, errcode: 41005 | 40009 }} MultipartResult
 * @typedef {object} FilePart
 * @property {number} partIndex its place among the parts the parser reported
 * @property {string} fieldName
 * @property {string | undefined} fileName
 * @property {string} contentType
 * @property {number} size
 * @property {boolean} tooLarge
 * @property {import('node:crypto').Hash} hash
 * @property {Buffer[]} leading
 */

/** @type {MultipartResult} */
const MEDIA_MISSING = { ok: false, errcode: 41005 };

/**
 * Reads a multipart/form-data body that must hold exactly one file part, named fileFieldName, with a file name
 * and 1 to maxFileBytes bytes. Text fields are ignored. Always reads the request to its end before resolving.
 * The parser decodes the part headers; a scanner of the raw bytes says what they were on the wire.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ fileFieldName: string, maxFileBytes: number }} rules
 * @returns {Promise<MultipartResult>}
 */
function readSingleFileUpload(req, { fileFieldName, maxFileBytes }) {
	return new Promise((resolve) => {
		let settled = false;
		/** @param {() => MultipartResult} result */
		const settleOnceDrained = (result) => {
			if (settled) return;
			settled = true;
			drainRequest(req).then(() => resolve(result()));
		};

		/** @type {import('busboy').Busboy} */
		let parser;
		try {
			parser = busboy({
				headers: req.headers,
				defParamCharset: 'utf8',
				preservePath: true,
				// One byte over the limit is what tells "exactly at the limit" from "too large".
				limits: { fileSize: maxFileBytes + 1, fieldSize: 64 * 1024, parts: 64 },
			});
		} catch {
			settleOnceDrained(() => MEDIA_MISSING);
			return;
		}

		const boundary = multipartBoundary(req.headers['content-type']);
		const rawHeaders = boundary === null ? null : new MultipartPartHeaderScanner(boundary);
		if (rawHeaders) req.on('data', (/** @type {Buffer} */ chunk) => rawHeaders.push(chunk));

		let partsReported = 0;
		/** @type {FilePart[]} */
		const files = [];
		parser.on('field', () => {
			partsReported += 1;
		});
		parser.on('file', (fieldName, stream, info) => {
			/** @type {FilePart} */
			const file = {
				partIndex: partsReported,
				fieldName,
				fileName: info.filename,
				contentType: info.mimeType,
				size: 0,
				tooLarge: false,
				hash: crypto.createHash('sha256'),
				leading: [],
			};
			partsReported += 1;
			files.push(file);
			stream.on('data', (/** @type {Buffer} */ chunk) => {
				if (file.size < SIGNATURE_BYTES) file.leading.push(chunk.subarray(0, SIGNATURE_BYTES - file.size));
				file.size += chunk.length;
				file.hash.update(chunk);
			});
			stream.on('limit', () => {
				file.tooLarge = true;
			});
			stream.on('error', () => {});
		});
		parser.on('error', () => {
			req.unpipe(parser);
			settleOnceDrained(() => MEDIA_MISSING);
		});
		parser.on('close', () =>
			settleOnceDrained(() =>
				singleFileResult(files, rawHeaders?.parts.filter((part) => part.isFormDataPart) ?? [], fileFieldName),
			),
		);
		req.once('close', () => {
			if (req.complete) return;
			parser.destroy();
			settleOnceDrained(() => MEDIA_MISSING);
		});
		req.pipe(parser);
	});
}

/**
 * @param {FilePart[]} files
 * @param {import('./multipart-part-headers').RawPartHeaders[]} formDataParts every part's raw headers, in the order
 *   the parser reported the parts
 * @param {string} fileFieldName
 * @returns {MultipartResult}
 */
function singleFileResult(files, formDataParts, fileFieldName) {
	const [file, ...extraFiles] = files;
	if (!file || extraFiles.length > 0 || file.fieldName !== fileFieldName || !file.fileName) return MEDIA_MISSING;
	if (file.size === 0) return MEDIA_MISSING;
	if (file.tooLarge) return { ok: false, errcode: 40009 };
	const raw = formDataParts[file.partIndex];
	return {
		ok: true,
		file: {
			fileName: file.fileName,
			fileNameRawAscii: raw?.fileNameRawAscii ?? false,
			contentType: raw?.hasContentType ? file.contentType : null,
			size: file.size,
			sha256: file.hash.digest('hex'),
			leadingBytes: Buffer.concat(file.leading),
		},
	};
}

module.exports = { readSingleFileUpload };
