'use strict';

const { resetCounters } = require('./counters');
const { checkedLatency } = require('./latency');
const {
	appById,
	appHoldingKfAccount,
	expireAllTokens,
	invalidateAllTokens,
} = require('./official-accounts');

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
		/**
		 * How long answers take from now on, per kind of endpoint; {} answers at once again.
		 * @param {import('./latency').Latency} latency
		 */
		setLatency(latency) {
			state.config.latency = checkedLatency(latency);
		},
		/** Every token of every app issued so far answers 42001 from now on. */
		expireAllTokens() {
			expireAllTokens(state.apps);
		},
		/** Every token of every app issued so far answers 40001 from now on. */
		invalidateAllTokens() {
			invalidateAllTokens(state.apps);
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
		/**
		 * @param {string} [appId] every app's tokens when left out (the default app's first), so none can leak unseen
		 * @returns {string[]} oldest first
		 */
		mintedTokens(appId) {
			const apps = appId === undefined ? state.apps : [appById(state.apps, appId)];
			return apps.flatMap((app) => app.tokens.minted());
		},
		/**
		 * @param {string} [appId] the default app when left out
		 * @returns {import('./kf-accounts').KfAccount[]} a copy of the app's kf accounts as getkflist lists them
		 */
		accounts(appId) {
			return appById(state.apps, appId).kfAccounts.list();
		},
		/**
		 * The WeChat user invited to the account (of whichever app has it) accepts, and is bound to it.
		 * @param {string} kfAccount
		 */
		acceptInvitation(kfAccount) {
			kfAccountsHolding(kfAccount).acceptInvitation(kfAccount);
		},
		/**
		 * The WeChat user invited to the account refuses.
		 * @param {string} kfAccount
		 */
		refuseInvitation(kfAccount) {
			kfAccountsHolding(kfAccount).refuseInvitation(kfAccount);
		},
		/**
		 * Lists the account in getonlinekflist.
		 * @param {string} kfAccount
		 * @param {{ status?: number, acceptedCase?: number }} [presence] status 1 web, 2 mobile, 3 both
		 */
		setOnline(kfAccount, presence) {
			kfAccountsHolding(kfAccount).setOnline(kfAccount, presence);
		},
		/** @param {string} kfAccount */
		setOffline(kfAccount) {
			kfAccountsHolding(kfAccount).setOffline(kfAccount);
		},
		/** What another process may see: no access tokens; the kf accounts are the default app's. */
		publicSnapshot() {
			const { kfAccounts } = state.apps[0];
			return {
				counters: state.counters,
				uploads: state.uploads.map(({ accessToken: _accessToken, ...upload }) => upload),
				accounts: kfAccounts.names(),
				kfList: kfAccounts.list(),
				kfOnlineList: kfAccounts.onlineList(),
			};
		},
	};

	/**
	 * The kf accounts of whichever app has the account; the default app's when none has it, which then says so.
	 * @param {string} kfAccount
	 */
	function kfAccountsHolding(kfAccount) {
		return appHoldingKfAccount(state.apps, kfAccount).kfAccounts;
	}
}

/** @typedef {ReturnType<typeof createControls>} EmulatorControls */

module.exports = { createControls };
