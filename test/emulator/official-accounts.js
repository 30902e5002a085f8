'use strict';

const { KfAccountDirectory } = require('./kf-accounts');
const { ForcedRefreshLimit } = require('./stable-token-rules');
const { TokenStore } = require('./tokens');

/**
 * @typedef {object} OfficialAccountOptions
 * @property {string} appId
 * @property {string} appSecret
 * @property {string} [officialAccountId] its WeChat ID, which its kf accounts end with
 * @property {string[]} [accounts] its kf accounts, full `prefix@wechat_id` names; `agent1@<officialAccountId>`
 *   when left out
 */

/** One Official Account (AppID): its own tokens, its own kf accounts. */
class OfficialAccount {
	/**
	 * @param {Required<OfficialAccountOptions>} options
	 * @param {{ clock: import('./clock').EmulatorClock, tokenLifetimeSeconds: number }} context
	 */
	constructor({ appId, appSecret, officialAccountId, accounts }, { clock, tokenLifetimeSeconds }) {
		this.appId = appId;
		this.appSecret = appSecret;
		this.officialAccountId = officialAccountId;
		this.tokens = new TokenStore(clock, tokenLifetimeSeconds);
		this.forcedRefreshLimit = new ForcedRefreshLimit(clock);
		this.kfAccounts = new KfAccountDirectory(accounts, clock);
	}
}

/**
 * The default Official Account first, then the others, each checked and given its defaults.
 * @param {OfficialAccountOptions & { officialAccountId: string }} defaultApp
 * @param {unknown} otherApps
 * @param {{ clock: import('./clock').EmulatorClock, tokenLifetimeSeconds: number }} context
 * @returns {OfficialAccount[]}
 */
function createOfficialAccounts(defaultApp, otherApps = [], context) {
	if (!Array.isArray(otherApps)) throw new TypeError('apps must be an array of { appId, appSecret }');
	const apps = [defaultApp, ...otherApps].map((app, index) => {
		if (typeof app !== 'object' || app === null) throw new TypeError('each app must be an object');
		const {
			appId,
			appSecret,
			officialAccountId = `sandbox_oa${index + 1}`,
			accounts = [`agent1@${officialAccountId}`],
		} = /** @type {OfficialAccountOptions} */ (app);
		if (!isNonEmptyString(appId) || !isNonEmptyString(appSecret)) {
			throw new TypeError('each app needs a non-empty appId and appSecret');
		}
		if (!isNonEmptyString(officialAccountId)) throw new TypeError('officialAccountId must be a non-empty string');
		if (!Array.isArray(accounts) || !accounts.every((name) => typeof name === 'string')) {
			throw new TypeError('accounts must be an array of kf_account strings');
		}
		return new OfficialAccount({ appId, appSecret, officialAccountId, accounts }, context);
	});
	const appIds = apps.map((app) => app.appId);
	const repeated = appIds.find((appId, index) => appIds.indexOf(appId) !== index);
	if (repeated !== undefined) throw new TypeError(`appId ${repeated} is given twice`);
	return apps;
}

/**
 * The Official Account that minted the token, or null when none did.
 * @param {OfficialAccount[]} apps
 * @param {string} token
 */
function appThatMinted(apps, token) {
	return apps.find((app) => app.tokens.has(token)) ?? null;
}

/**
 * The Official Account the kf account belongs to; the default one when none has it, so that its errors name it.
 * @param {OfficialAccount[]} apps
 * @param {string} kfAccount
 */
function appHoldingKfAccount(apps, kfAccount) {
	return apps.find((app) => app.kfAccounts.has(kfAccount)) ?? apps[0];
}

/**
 * @param {OfficialAccount[]} apps
 * @param {string | undefined} appId the default Official Account when left out
 */
function appById(apps, appId) {
	if (appId === undefined) return apps[0];
	const app = apps.find((candidate) => candidate.appId === appId);
	if (!app) throw new Error(`no app ${JSON.stringify(appId)}`);
	return app;
}

/**
 * Every token of every Official Account issued so far answers 42001 from now on.
 * @param {OfficialAccount[]} apps
 */
function expireAllTokens(apps) {
	for (const app of apps) app.tokens.expireAll();
}

/**
 * Every token of every Official Account issued so far answers 40001 from now on.
 * @param {OfficialAccount[]} apps
 */
function invalidateAllTokens(apps) {
	for (const app of apps) app.tokens.invalidateAll();
}

/** @param {unknown} value */
function isNonEmptyString(value) {
	return typeof value === 'string' && value !== '';
}

module.exports = {
	OfficialAccount,
	createOfficialAccounts,
	appThatMinted,
	appHoldingKfAccount,
	appById,
	expireAllTokens,
	invalidateAllTokens,
};
