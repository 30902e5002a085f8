'use strict';

const ECHOED_BODY_MAX_BYTES = 500;

/**
 * @typedef {object} RequestEcho
 * @property {string} requestLine method and target exactly as sent, query string included
 * @property {() => Buffer} bodyStart the first bytes of the body read so far
 */

/**
 * Keeps what an upstream-error page of a careless proxy quotes back: the request line and the start of the body.
 * Must be called before anything reads the request.
 * @param {import('node:http').IncomingMessage} req
 * @returns {RequestEcho}
 */
function recordRequestForEcho(req) {
	/** @type {Buffer[]} */
	const chunks = [];
	let kept = 0;
	req.on('data', (/** @type {Buffer} */ chunk) => {
		if (kept >= ECHOED_BODY_MAX_BYTES) return;
		const part = chunk.subarray(0, ECHOED_BODY_MAX_BYTES - kept);
		chunks.push(part);
		kept += part.length;
	});
	return { requestLine: `${req.method} ${req.url}`, bodyStart: () => Buffer.concat(chunks) };
}

/**
 * The text/plain page such a proxy answers with.
 * @param {RequestEcho} echo
 */
function upstreamErrorPage(echo) {
	const body = echo.bodyStart();
	const bodyLine = body.length > 0 ? `request body: ${body.toString('utf8')}\n` : '';
	return `upstream error for ${echo.requestLine}\n${bodyLine}`;
}

module.exports = { recordRequestForEcho, upstreamErrorPage };
