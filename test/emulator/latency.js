'use strict';

/**
 * How long the emulator takes to answer, per kind of endpoint, like WeChat over a real network: a token request,
 * an avatar upload, any other API call. Each is `{ ms, jitterMs }`: every answer waits `ms` plus or minus a
 * uniform random amount up to `jitterMs` (never below zero). Nothing is set by default: answers come at once.
 * @typedef {{ ms: number, jitterMs?: number }} LatencyOfKind
 * @typedef {{ token?: LatencyOfKind, upload?: LatencyOfKind, other?: LatencyOfKind }} Latency
 * @typedef {'token' | 'upload' | 'other'} EndpointKind
 */

const KINDS = ['token', 'upload', 'other'];

/**
 * @param {unknown} latency
 * @returns {Latency}
 */
function checkedLatency(latency) {
	if (latency === undefined || latency === null) return {};
	if (typeof latency !== 'object') throw new TypeError('latency must be an object such as { upload: { ms: 80, jitterMs: 30 } }');
	for (const [kind, spec] of Object.entries(latency)) {
		if (!KINDS.includes(kind)) throw new TypeError(`latency.${kind}: not one of ${KINDS.join(', ')}`);
		const { ms, jitterMs = 0 } = /** @type {LatencyOfKind} */ (spec ?? {});
		if (!(typeof ms === 'number' && ms >= 0) || !(typeof jitterMs === 'number' && jitterMs >= 0)) {
			throw new TypeError(`latency.${kind} needs ms >= 0 and, if given, jitterMs >= 0`);
		}
	}
	return /** @type {Latency} */ ({ ...latency });
}

/**
 * @param {Latency} latency
 * @param {EndpointKind} kind
 * @returns {number} milliseconds to wait before answering
 */
function delayFor(latency, kind) {
	const spec = latency[kind];
	if (!spec) return 0;
	const jitter = spec.jitterMs ?? 0;
	return Math.max(0, spec.ms + (Math.random() * 2 - 1) * jitter);
}

module.exports = { checkedLatency, delayFor };
