'use strict';

/**
 * @typedef {object} EmulatorCounters
 * @property {{ classic: number, stable: number }} tokenRequests
 * @property {{ classic: number, stable: number }} tokensMinted
 * @property {number} forceRefreshes stable tokens minted because of force_refresh: true
 * @property {Record<string, number>} apiCalls requests per API path (token and control paths not included)
 * @property {number} uploads avatar uploads accepted
 */

/** @returns {EmulatorCounters} */
function createCounters() {
	return {
		tokenRequests: { classic: 0, stable: 0 },
		tokensMinted: { classic: 0, stable: 0 },
		forceRefreshes: 0,
		apiCalls: {},
		uploads: 0,
	};
}

/**
 * Zeroes the counters in place, so references held by tests stay live.
 * @param {EmulatorCounters} counters
 */
function resetCounters(counters) {
	const zeroed = createCounters();
	Object.assign(counters.tokenRequests, zeroed.tokenRequests);
	Object.assign(counters.tokensMinted, zeroed.tokensMinted);
	counters.forceRefreshes = 0;
	for (const path of Object.keys(counters.apiCalls)) delete counters.apiCalls[path];
	counters.uploads = 0;
}

module.exports = { createCounters, resetCounters };
