'use strict';

const { appThatMinted } = require('./official-accounts');
const { wechatError } = require('./wechat-errors');

/** @type {Record<Exclude<import('./tokens').TokenStatus, 'valid'>, number>} */
const ERRCODE_BY_TOKEN_STATUS = { missing: 41001, invalid: 40001, expired: 42001 };

/**
 * @typedef {{ app: import('./official-accounts').OfficialAccount, accessToken: string, refusal?: undefined }
 *   | { refusal: { errcode: number, errmsg: string }, app?: undefined }} TokenCheck
 */

/**
 * Whose access_token the API call carries: the Official Account that minted it, which the call then acts on, or
 * the refusal WeChat answers when the token is missing, unknown or dead.
 * @param {URL} url
 * @param {import('./state').EmulatorState} state
 * @returns {TokenCheck}
 */
function checkAccessToken(url, state) {
	const accessToken = url.searchParams.get('access_token');
	if (!accessToken) return { refusal: wechatError(ERRCODE_BY_TOKEN_STATUS.missing) };
	const app = appThatMinted(state.apps, accessToken);
	if (!app) return { refusal: wechatError(ERRCODE_BY_TOKEN_STATUS.invalid) };
	const status = app.tokens.status(accessToken);
	if (status !== 'valid') return { refusal: wechatError(ERRCODE_BY_TOKEN_STATUS[status]) };
	return { app, accessToken };
}

module.exports = { checkAccessToken };
