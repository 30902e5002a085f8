'use strict';

/** The content type WeChat's API answers with. */
const WECHAT_JSON_CONTENT_TYPE = 'application/json; encoding=utf-8';

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string | Buffer} body
 * @param {Record<string, string>} headers
 */
function sendRaw(res, status, body, headers) {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
	sendRaw(res, status, JSON.stringify(body), { 'Content-Type': WECHAT_JSON_CONTENT_TYPE });
}

/**
 * Resolves once the client has sent its whole body (or gone away), so that an answer never races an upload.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<void>}
 */
function drainRequest(req) {
	if (req.complete || req.destroyed) return Promise.resolve();
	return new Promise((resolve) => {
		req.once('end', resolve);
		req.once('close', resolve);
		req.resume();
	});
}

/**
 * Reads the body as UTF-8 text; null when it is longer than maxBytes (the rest is read and dropped).
 * @param {import('node:http').IncomingMessage} req
 * @param {number} maxBytes
 * @returns {Promise<string | null>}
 */
function readBodyText(req, maxBytes) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size <= maxBytes) chunks.push(chunk);
		});
		const finish = () => resolve(size > maxBytes ? null : Buffer.concat(chunks).toString('utf8'));
		req.once('end', finish);
		req.once('close', finish);
	});
}

/**
 * @param {string | null} text
 * @returns {Record<string, unknown> | null} the JSON object the text holds, or null when it holds anything else
 */
function parseJsonObject(text) {
	if (text === null) return null;
	try {
		const parsed = JSON.parse(text);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : null;
	} catch {
		return null;
	}
}

module.exports = { sendRaw, sendJson, drainRequest, readBodyText, parseJsonObject, WECHAT_JSON_CONTENT_TYPE };
