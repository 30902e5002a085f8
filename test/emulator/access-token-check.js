'use strict';

const { wechatError } = require('./wechat-errors');

/** @type {Record<import('./tokens').TokenStatus, number | null>} */
const ERRCODE_BY_TOKEN_STATUS = { valid: null, missing: 41001, invalid: 40001, expired: 42001 };

/**
 * The refusal WeChat answers an API call with when its access_token is missing, unknown or dead; null when valid.
 * @param {URL} url
 * @param {import('./state').EmulatorState} state
 */
function accessTokenRefusal(url, state) {
	const errcode = ERRCODE_BY_TOKEN_STATUS[state.tokens.status(url.searchParams.get('access_token'))];
	return errcode === null ? null : wechatError(errcode);
}

module.exports = { accessTokenRefusal };
