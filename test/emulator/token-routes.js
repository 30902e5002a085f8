'use strict';

const { countTokenMinted } = require('./counters');
const { drainRequest, parseJsonObject, readBodyText } = require('./http-io');
const { isStillHandedOut } = require('./stable-token-rules');
const { wechatError } = require('./wechat-errors');

const STABLE_TOKEN_BODY_MAX_BYTES = 64 * 1024;

/**
 * @typedef {{ grantType: unknown, appid: unknown, secret: unknown }} TokenRequest
 * @typedef {{ refusal: { errcode: number, errmsg: string }, app?: undefined }
 *   | { app: import('./official-accounts').OfficialAccount, refusal?: undefined }} TokenRequestCheck
 */

/**
 * The Official Account a token request may have a token of, or the refusal WeChat answers it with.
 * @param {TokenRequest} request
 * @param {import('./state').EmulatorState} state
 * @returns {TokenRequestCheck}
 */
function checkTokenRequest({ grantType, appid, secret }, state) {
	if (grantType !== 'client_credential') return { refusal: wechatError(40002) };
	if (!appid) return { refusal: wechatError(41002) };
	const app = state.apps.find((candidate) => candidate.appId === appid);
	if (!app) return { refusal: wechatError(40013) };
	if (!secret) return { refusal: wechatError(41004) };
	if (secret !== app.appSecret) return { refusal: wechatError(state.config.wrongSecretErrcode) };
	const callerRefusal = state.callerAccess.refusal();
	return callerRefusal ? { refusal: callerRefusal } : { app };
}

/** @param {import('./tokens').TokenGrant} grant */
function tokenAnswer(grant) {
	return { access_token: grant.token, expires_in: grant.expiresInSeconds };
}

/** @param {URL} url */
function classicTokenRequest(url) {
	const query = url.searchParams;
	return { grantType: query.get('grant_type'), appid: query.get('appid'), secret: query.get('secret') };
}

/** @type {import('./routes').Route<void>} */
const classicToken = {
	countsAs: 'classic',
	read: drainRequest,
	appIdAsked: (_input, url) => url.searchParams.get('appid'),
	answer(_input, url, state) {
		const { app, refusal } = checkTokenRequest(classicTokenRequest(url), state);
		if (refusal) return refusal;
		countTokenMinted(state.counters, app.appId, 'classic');
		return tokenAnswer(app.tokens.mint('classic'));
	},
};

/** @type {import('./routes').Route<string | null>} */
const stableToken = {
	countsAs: 'stable',
	method: 'POST',
	read: (req) => readBodyText(req, STABLE_TOKEN_BODY_MAX_BYTES),
	appIdAsked: (bodyText) => parseJsonObject(bodyText)?.appid,
	answer(bodyText, _url, state) {
		const body = parseJsonObject(bodyText);
		if (!body) return wechatError(47001);
		const forceRefresh = body.force_refresh ?? false;
		if (typeof forceRefresh !== 'boolean') return wechatError(47001);
		const { app, refusal } = checkTokenRequest(
			{ grantType: body.grant_type, appid: body.appid, secret: body.secret },
			state,
		);
		if (refusal) return refusal;

		if (forceRefresh) {
			const verdict = app.forcedRefreshLimit.verdict();
			if (verdict === 'dailyLimitReached') return wechatError(45009);
			if (verdict === 'refresh') {
				app.forcedRefreshLimit.recordRefresh();
				state.counters.forceRefreshes += 1;
				countTokenMinted(state.counters, app.appId, 'stable');
				return tokenAnswer(app.tokens.mintStableRevokingPrevious());
			}
			// Too soon after the last forced refresh: WeChat refreshes nothing and answers as in normal mode.
			state.counters.forceRefreshesIgnored += 1;
		}
		const current = app.tokens.currentStable();
		if (current && isStillHandedOut(current.expiresInSeconds, app.tokens.lifetimeMs / 1000)) {
			return tokenAnswer(current);
		}
		countTokenMinted(state.counters, app.appId, 'stable');
		return tokenAnswer(app.tokens.mint('stable'));
	},
};

module.exports = { classicToken, stableToken };
