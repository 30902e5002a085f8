'use strict';

/**
 * @typedef {object} EmulatorClock
 * @property {() => number} nowMs milliseconds since the epoch, as the emulator sees it
 * @property {(seconds: number) => void} advance
 */

/**
 * Real time plus an offset, so tokens also expire on their own in long runs while tests can jump ahead.
 * @returns {EmulatorClock}
 */
function createClock() {
	let offsetMs = 0;
	return {
		nowMs: () => Date.now() + offsetMs,
		advance(seconds) {
			if (!Number.isFinite(seconds) || seconds < 0) {
				throw new TypeError(`advanceClock needs a non-negative number of seconds, got ${seconds}`);
			}
			offsetMs += seconds * 1000;
		},
	};
}

module.exports = { createClock };
