'use strict';

const CRLF = Buffer.from('\r\n');
const HEADER_BLOCK_END = Buffer.from('\r\n\r\n');
/** Past this, a part's headers are not worth looking for: the body is malformed and the parser will say so. */
const MAX_HEADER_BLOCK_BYTES = 16 * 1024;
const DISPOSITION_PARAMETER = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * What the emulator wants from a part's headers exactly as they were on the wire, which the multipart parser
 * decodes away.
 * @typedef {object} RawPartHeaders
 * @property {boolean} isFormDataPart it has a `Content-Disposition: form-data` header, so the parser reports it
 * @property {boolean} hasContentType
 * @property {boolean} fileNameRawAscii a `filename` parameter of printable ASCII and no `filename*`
 */

/**
 * Finds the header block of every part of a multipart body as it streams past, without holding the body.
 */
class MultipartPartHeaderScanner {
	/** @param {string} boundary */
	constructor(boundary) {
		this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
		// The first delimiter has no CRLF before it; lending it one lets a single search find them all.
		this.pending = CRLF;
		/** @type {'delimiter' | 'delimiterLineEnd' | 'headers' | 'done'} */
		this.looksFor = 'delimiter';
		/** @type {RawPartHeaders[]} */
		this.parts = [];
	}

	/** @param {Buffer} chunk */
	push(chunk) {
		if (this.looksFor === 'done') return;
		this.pending = Buffer.concat([this.pending, chunk]);
		while (this.step());
	}

	/** @returns {boolean} whether it moved on and may move on again with what it holds */
	step() {
		const { pending } = this;
		switch (this.looksFor) {
			case 'delimiter': {
				const at = pending.indexOf(this.delimiter);
				if (at === -1) {
					this.pending = pending.subarray(Math.max(0, pending.length - this.delimiter.length + 1));
					return false;
				}
				return this.moveOn(at + this.delimiter.length, 'delimiterLineEnd');
			}
			case 'delimiterLineEnd': {
				if (pending.length < 2) return false;
				if (pending[0] === 0x2d && pending[1] === 0x2d) return this.moveOn(0, 'done');
				const lineEnd = pending.indexOf(CRLF);
				if (lineEnd === -1) return this.giveUpPast(pending.length);
				return this.moveOn(lineEnd + CRLF.length, 'headers');
			}
			case 'headers': {
				if (pending.length < 2) return false;
				if (pending.subarray(0, 2).equals(CRLF)) {
					this.parts.push(readRawPartHeaders(''));
					return this.moveOn(CRLF.length, 'delimiter');
				}
				const end = pending.indexOf(HEADER_BLOCK_END);
				if (end === -1) return this.giveUpPast(pending.length);
				this.parts.push(readRawPartHeaders(pending.subarray(0, end).toString('latin1')));
				return this.moveOn(end + HEADER_BLOCK_END.length, 'delimiter');
			}
			case 'done':
				return false;
		}
	}

	/**
	 * @param {number} consumed bytes of pending now read
	 * @param {'delimiter' | 'delimiterLineEnd' | 'headers' | 'done'} next
	 */
	moveOn(consumed, next) {
		this.pending = next === 'done' ? Buffer.alloc(0) : this.pending.subarray(consumed);
		this.looksFor = next;
		return next !== 'done';
	}

	/** @param {number} heldBytes */
	giveUpPast(heldBytes) {
		if (heldBytes > MAX_HEADER_BLOCK_BYTES) this.moveOn(0, 'done');
		return false;
	}
}

/**
 * @param {string} block the header lines of one part, latin1 as on the wire
 * @returns {RawPartHeaders}
 */
function readRawPartHeaders(block) {
	/** @type {Map<string, string>} */
	const headers = new Map();
	for (const line of block.split('\r\n')) {
		const colon = line.indexOf(':');
		const name = line.slice(0, colon).trim().toLowerCase();
		if (colon > 0 && !headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
	}
	const disposition = headers.get('content-disposition') ?? '';
	const parameters = [...disposition.matchAll(DISPOSITION_PARAMETER)].map(([, name, value]) => ({
		name: name.toLowerCase(),
		value: value.startsWith('"') ? value.slice(1, -1) : value.trim(),
	}));
	const fileName = parameters.find((parameter) => parameter.name === 'filename');
	return {
		isFormDataPart: /^form-data\s*(;|$)/i.test(disposition),
		hasContentType: headers.has('content-type'),
		fileNameRawAscii:
			fileName !== undefined &&
			PRINTABLE_ASCII.test(fileName.value) &&
			!parameters.some((parameter) => parameter.name === 'filename*'),
	};
}

/**
 * The boundary a multipart/form-data Content-Type names, or null.
 * @param {string | undefined} contentType
 */
function multipartBoundary(contentType) {
	const match = /^multipart\/form-data\s*;.*?\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	return match ? (match[1] ?? match[2]) : null;
}

module.exports = { MultipartPartHeaderScanner, multipartBoundary };
