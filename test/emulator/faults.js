'use strict';

const UPLOAD_AVATAR_PATH = '/customservice/kfaccount/uploadheadimg';

const FAULT_KINDS = Object.freeze([
	'errcode',
	'busy',
	'html502',
	'truncatedJson',
	'unquotedErrcode',
	'reset',
	'hang',
	'delay',
	'expireTokens',
]);

/**
 * @typedef {'errcode' | 'busy' | 'html502' | 'truncatedJson' | 'unquotedErrcode' | 'reset' | 'hang' | 'delay' | 'expireTokens'} FaultKind
 * 'expireTokens' expires every token issued so far as its request arrives; the request then goes on as usual.
 * @typedef {object} Fault
 * @property {FaultKind} kind
 * @property {string} [path] the request path it hits; the avatar upload when left out
 * @property {number} [times] how many matching requests it hits, 1 when left out
 * @property {number} [after] how many matching requests pass untouched before it starts, 0 when left out
 * @property {number} [errcode] for kind 'errcode'
 * @property {string} [errmsg] for kind 'errcode'; WeChat's own message for the errcode when left out
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
	if (kind === 'errcode' && !Number.isInteger(errcode)) {
		throw new TypeError('a fault of kind "errcode" needs an integer errcode');
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

module.exports = { FaultQueue, UPLOAD_AVATAR_PATH };
