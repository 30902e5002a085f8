'use strict';

/**
 * @typedef {{ classic: number, stable: number }} TokenCount
 * @typedef {object} EmulatorCounters
 * @property {TokenCount} tokenRequests every request to a token endpoint, whatever it names
 * @property {TokenCount} tokensMinted
 * @property {Record<string, TokenCount>} tokenRequestsByAppId token requests naming each configured AppID
 *   (requests naming no known AppID, or that could not be read, count only in tokenRequests)
 * @property {Record<string, TokenCount>} tokensMintedByAppId
 * @property {number} forceRefreshes stable tokens minted because of force_refresh: true
 * @property {number} forceRefreshesIgnored force_refresh calls within 30 s of the last forced refresh, which
 *   WeChat answers with the current token
 * @property {Record<string, number>} apiCalls requests per API path (token and control paths not included)
 * @property {number} uploads avatar uploads accepted
 * @property {number} uploadsInFlightPeak the most avatar uploads the emulator was receiving or answering at once
 */

/**
 * @param {string[]} appIds
 * @returns {EmulatorCounters}
 */
function createCounters(appIds) {
	/** @returns {Record<string, TokenCount>} */
	const zeroByAppId = () => Object.fromEntries(appIds.map((appId) => [appId, { classic: 0, stable: 0 }]));
	return {
		tokenRequests: { classic: 0, stable: 0 },
		tokensMinted: { classic: 0, stable: 0 },
		tokenRequestsByAppId: zeroByAppId(),
		tokensMintedByAppId: zeroByAppId(),
		forceRefreshes: 0,
		forceRefreshesIgnored: 0,
		apiCalls: {},
		uploads: 0,
		uploadsInFlightPeak: 0,
	};
}

/**
 * Zeroes the counters in place, so references held by tests stay live.
 * @param {EmulatorCounters} counters
 */
function resetCounters(counters) {
	for (const count of [
		counters.tokenRequests,
		counters.tokensMinted,
		...Object.values(counters.tokenRequestsByAppId),
		...Object.values(counters.tokensMintedByAppId),
	]) {
		count.classic = 0;
		count.stable = 0;
	}
	counters.forceRefreshes = 0;
	counters.forceRefreshesIgnored = 0;
	for (const path of Object.keys(counters.apiCalls)) delete counters.apiCalls[path];
	counters.uploads = 0;
	counters.uploadsInFlightPeak = 0;
}

/**
 * @param {EmulatorCounters} counters
 * @param {string} appId
 * @param {'classic' | 'stable'} kind
 */
function countTokenMinted(counters, appId, kind) {
	counters.tokensMinted[kind] += 1;
	counters.tokensMintedByAppId[appId][kind] += 1;
}

module.exports = { createCounters, resetCounters, countTokenMinted };
