'use strict';

const { resetCounters } = require('./counters');

/**
 * What tests and the control API may do to a running emulator.
 * @param {import('./state').EmulatorState} state
 */
function createControls(state) {
	return {
		/** @param {import('./faults').Fault} fault */
		inject(fault) {
			state.faults.add(fault);
		},
		clearFaults() {
			state.faults.clear();
		},
		/** Every token issued so far answers 42001 from now on. */
		expireAllTokens() {
			state.tokens.expireAll();
		},
		/** Every token issued so far answers 40001 from now on. */
		invalidateAllTokens() {
			state.tokens.invalidateAll();
		},
		/** @param {number} seconds */
		advanceClock(seconds) {
			state.clock.advance(seconds);
		},
		blockCallerIp(ip = '203.0.113.7') {
			state.callerAccess.blockIp(ip);
		},
		unblockCallerIp() {
			state.callerAccess.unblockIp();
		},
		requireIpApproval(errcode = 89503) {
			state.callerAccess.requireApproval(errcode);
		},
		clearIpApproval() {
			state.callerAccess.clearApproval();
		},
		resetCounters() {
			resetCounters(state.counters);
		},
		/** @returns {string[]} */
		mintedTokens() {
			return state.tokens.minted();
		},
		/** @returns {import('./kf-accounts').KfAccount[]} a copy of the kf accounts as getkflist lists them */
		accounts() {
			return state.kfAccounts.list();
		},
		/**
		 * The WeChat user invited to the account accepts, and is bound to it.
		 * @param {string} kfAccount
		 */
		acceptInvitation(kfAccount) {
			state.kfAccounts.acceptInvitation(kfAccount);
		},
		/**
		 * The WeChat user invited to the account refuses.
		 * @param {string} kfAccount
		 */
		refuseInvitation(kfAccount) {
			state.kfAccounts.refuseInvitation(kfAccount);
		},
		/**
		 * Lists the account in getonlinekflist.
		 * @param {string} kfAccount
		 * @param {{ status?: number, acceptedCase?: number }} [presence] status 1 web, 2 mobile, 3 both
		 */
		setOnline(kfAccount, presence) {
			state.kfAccounts.setOnline(kfAccount, presence);
		},
		/** @param {string} kfAccount */
		setOffline(kfAccount) {
			state.kfAccounts.setOffline(kfAccount);
		},
		/** What another process may see: no access tokens. */
		publicSnapshot() {
			return {
				counters: state.counters,
				uploads: state.uploads.map(({ accessToken: _accessToken, ...upload }) => upload),
				accounts: state.kfAccounts.names(),
				kfList: state.kfAccounts.list(),
				kfOnlineList: state.kfAccounts.onlineList(),
			};
		},
	};
}

/** @typedef {ReturnType<typeof createControls>} EmulatorControls */

module.exports = { createControls };
