'use strict';

const { drainRequest, parseJsonObject, readBodyText } = require('./http-io');
const { wechatError } = require('./wechat-errors');

const STABLE_TOKEN_BODY_MAX_BYTES = 64 * 1024;

/**
 * The refusal WeChat answers a token request with, or null when a token may be handed out.
 * @param {{ grantType: unknown, appid: unknown, secret: unknown }} request
 * @param {import('./state').EmulatorState} state
 */
function tokenRequestRefusal({ grantType, appid, secret }, state) {
	if (grantType !== 'client_credential') return wechatError(40002);
	if (!appid) return wechatError(41002);
	if (appid !== state.config.appId) return wechatError(40013);
	if (!secret) return wechatError(41004);
	if (secret !== state.config.appSecret) return wechatError(40125);
	return state.callerAccess.refusal();
}

/** @param {import('./tokens').TokenGrant} grant */
function tokenAnswer(grant) {
	return { access_token: grant.token, expires_in: grant.expiresInSeconds };
}

/** @type {import('./routes').Route<void>} */
const classicToken = {
	countsAs: 'classic',
	read: drainRequest,
	answer(_input, url, state) {
		const query = url.searchParams;
		const refusal = tokenRequestRefusal(
			{ grantType: query.get('grant_type'), appid: query.get('appid'), secret: query.get('secret') },
			state,
		);
		if (refusal) return refusal;
		state.counters.tokensMinted.classic += 1;
		return tokenAnswer(state.tokens.mint('classic'));
	},
};

/** @type {import('./routes').Route<string | null>} */
const stableToken = {
	countsAs: 'stable',
	method: 'POST',
	read: (req) => readBodyText(req, STABLE_TOKEN_BODY_MAX_BYTES),
	answer(bodyText, _url, state) {
		const body = parseJsonObject(bodyText);
		if (!body) return wechatError(47001);
		const forceRefresh = body.force_refresh ?? false;
		if (typeof forceRefresh !== 'boolean') return wechatError(47001);
		const refusal = tokenRequestRefusal(
			{ grantType: body.grant_type, appid: body.appid, secret: body.secret },
			state,
		);
		if (refusal) return refusal;

		const current = forceRefresh ? null : state.tokens.currentStable();
		if (current) return tokenAnswer(current);
		state.counters.tokensMinted.stable += 1;
		if (forceRefresh) state.counters.forceRefreshes += 1;
		return tokenAnswer(state.tokens.mint('stable'));
	},
};

module.exports = { classicToken, stableToken };
