'use strict';

const { TOKEN_PATHS, UPLOAD_AVATAR_PATH } = require('./api-paths');

/** Faults that let the request be carried out in full, then spoil or lose its answer. */
const AFTER_ANSWER_FAULT_KINDS = Object.freeze(['commitThenReset', 'commitThenHang', 'truncatedTokenAnswer']);

const FAULT_KINDS = Object.freeze([
	'errcode',
	'stringErrcode',
	'busy',
	'html502',
	'proxyErrorEchoingRequest',
	'truncatedJson',
	'unquotedErrcode',
	'reset',
	'hang',
	'delay',
	'expireTokens',
	...AFTER_ANSWER_FAULT_KINDS,
]);

/**
 * @typedef {'errcode' | 'stringErrcode' | 'busy' | 'html502' | 'proxyErrorEchoingRequest' | 'truncatedJson'
 *   | 'unquotedErrcode' | 'reset' | 'hang' | 'delay' | 'expireTokens' | 'commitThenReset' | 'commitThenHang'
 *   | 'truncatedTokenAnswer'} FaultKind
 * 'expireTokens' expires every token issued so far as its request arrives; the request then goes on as usual.
 * 'stringErrcode' answers `{"errcode":"<errcode>","errmsg":...}`, the errcode as a JSON string.
 * 'proxyErrorEchoingRequest' answers HTTP 502 text/plain from a proxy that quotes the request line and the first
 *   500 bytes of a JSON or form body.
 * 'commitThenReset' / 'commitThenHang' carry the request out in full, then reset the connection / never answer.
 * 'truncatedTokenAnswer' (token paths only) mints or takes the token, then answers its JSON cut inside the token.
 * @typedef {object} Fault
 * @property {FaultKind} kind
 * @property {string} [path] the request path it hits; the avatar upload when left out
 * @property {number} [times] how many matching requests it hits, 1 when left out
 * @property {number} [after] how many matching requests pass untouched before it starts, 0 when left out
 * @property {number} [errcode] for kinds 'errcode' and 'stringErrcode'
 * @property {string} [errmsg] for kinds 'errcode' and 'stringErrcode'; WeChat's own message when left out
 * @property {number} [ms] for kind 'delay'
 * @typedef {Required<Pick<Fault, 'kind' | 'path' | 'times' | 'after'>> & Fault} QueuedFault
 */

/**
 * @param {unknown} fault
 * @returns {QueuedFault}
 */
function validateFault(fault) {
	if (typeof fault !== 'object' || fault === null) throw new TypeError('a fault must be an object');
	const { kind, path = UPLOAD_AVATAR_PATH, times = 1, after = 0, errcode, errmsg, ms } = /** @type {Fault} */ (fault);
	if (!FAULT_KINDS.includes(kind)) {
		throw new TypeError(`unknown fault kind ${JSON.stringify(kind)}; one of ${FAULT_KINDS.join(', ')}`);
	}
	if (typeof path !== 'string' || !path.startsWith('/')) {
		throw new TypeError(`fault path must start with "/", got ${JSON.stringify(path)}`);
	}
	if (!Number.isInteger(times) || times < 1) {
		throw new TypeError(`fault times must be a positive integer, got ${JSON.stringify(times)}`);
	}
	if (!Number.isInteger(after) || after < 0) {
		throw new TypeError(`fault after must be a non-negative integer, got ${JSON.stringify(after)}`);
	}
	if ((kind === 'errcode' || kind === 'stringErrcode') && !Number.isInteger(errcode)) {
		throw new TypeError(`a fault of kind "${kind}" needs an integer errcode`);
	}
	if (kind === 'truncatedTokenAnswer' && !TOKEN_PATHS.includes(path)) {
		throw new TypeError(`a fault of kind "truncatedTokenAnswer" needs path ${TOKEN_PATHS.join(' or ')}`);
	}
	if (errmsg !== undefined && typeof errmsg !== 'string') throw new TypeError('fault errmsg must be a string');
	if (kind === 'delay' && !(typeof ms === 'number' && ms >= 0)) {
		throw new TypeError('a fault of kind "delay" needs ms >= 0');
	}
	return { kind, path, times, after, errcode, errmsg, ms };
}

/** Faults waiting for their requests, taken in the order they were queued. */
class FaultQueue {
	constructor() {
		/** @type {QueuedFault[]} */
		this.pending = [];
	}

	/** @param {Fault} fault */
	add(fault) {
		this.pending.push(validateFault(fault));
	}

	/**
	 * Takes one use of the first fault queued for the path.
	 * @param {string} path
	 * @returns {QueuedFault | null}
	 */
	takeFor(path) {
		const index = this.pending.findIndex((fault) => fault.path === path);
		if (index === -1) return null;
		const fault = this.pending[index];
		if (fault.after > 0) {
			fault.after -= 1;
			return null;
		}
		fault.times -= 1;
		if (fault.times === 0) this.pending.splice(index, 1);
		return fault;
	}

	clear() {
		this.pending.length = 0;
	}
}

/** @param {QueuedFault} fault whether it acts on the answer of a request carried out, not in its place */
function actsAfterAnswer(fault) {
	return AFTER_ANSWER_FAULT_KINDS.includes(fault.kind);
}

module.exports = { FaultQueue, actsAfterAnswer, UPLOAD_AVATAR_PATH };
