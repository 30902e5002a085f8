'use strict';

/** WeChat renews a stable token this early in normal mode, so every answer has at least this much left. */
const EARLY_RENEWAL_SECONDS = 300;
const FORCED_REFRESHES_PER_DAY = 20;
const FORCED_REFRESH_MIN_INTERVAL_MS = 30 * 1000;
/** WeChat's daily quotas roll over at midnight in China (UTC+8). */
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a normal-mode call hands the current stable token out again: only while it has more than the early
 * renewal window left. A lifetime set shorter than twice the window (for a test) shrinks the window to half the
 * lifetime, so the token is still handed out again for a while.
 * @param {number} secondsLeft
 * @param {number} lifetimeSeconds
 */
function isStillHandedOut(secondsLeft, lifetimeSeconds) {
	return secondsLeft >= Math.min(EARLY_RENEWAL_SECONDS, lifetimeSeconds / 2);
}

/**
 * @typedef {'refresh' | 'tooSoon' | 'dailyLimitReached'} ForcedRefreshVerdict
 */

/** One AppID's force_refresh allowance: 20 a day, at least 30 s apart ("否则不会刷新"). */
class ForcedRefreshLimit {
	/** @param {import('./clock').EmulatorClock} clock */
	constructor(clock) {
		this.clock = clock;
		/** @type {number | null} */
		this.lastRefreshAtMs = null;
		this.day = -1;
		this.refreshesThatDay = 0;
	}

	/** @returns {ForcedRefreshVerdict} */
	verdict() {
		const nowMs = this.clock.nowMs();
		if (this.lastRefreshAtMs !== null && nowMs - this.lastRefreshAtMs < FORCED_REFRESH_MIN_INTERVAL_MS) {
			return 'tooSoon';
		}
		if (chinaDay(nowMs) === this.day && this.refreshesThatDay >= FORCED_REFRESHES_PER_DAY) {
			return 'dailyLimitReached';
		}
		return 'refresh';
	}

	recordRefresh() {
		const nowMs = this.clock.nowMs();
		const today = chinaDay(nowMs);
		if (today !== this.day) {
			this.day = today;
			this.refreshesThatDay = 0;
		}
		this.refreshesThatDay += 1;
		this.lastRefreshAtMs = nowMs;
	}
}

/** @param {number} epochMs */
function chinaDay(epochMs) {
	return Math.floor((epochMs + CHINA_UTC_OFFSET_MS) / DAY_MS);
}

module.exports = { ForcedRefreshLimit, isStillHandedOut, FORCED_REFRESHES_PER_DAY };
