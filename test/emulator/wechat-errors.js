'use strict';

const crypto = require('node:crypto');

/**
 * The errmsg WeChat sends with each errcode the emulator produces.
 * @type {Record<number, string>}
 */
const ERRMSG_BY_ERRCODE = {
	'-1': 'system error',
	0: 'ok',
	40001: 'invalid credential, access_token is invalid or not latest',
	40002: 'invalid grant_type',
	40005: 'invalid file type',
	40009: 'invalid image size',
	40013: 'invalid appid',
	40125: 'invalid appsecret',
	41001: 'access_token missing',
	41002: 'appid missing',
	41004: 'appsecret missing',
	41005: 'media data missing',
	42001: 'access_token expired',
	43001: 'require GET method',
	43002: 'require POST method',
	45009: 'reach max api daily quota limit',
	47001: 'data format error',
	48001: 'api unauthorized',
	65400: 'please enable new custom service, or wait for a while if you have enabled',
	65401: 'invalid kf_account',
	65403: 'invalid nickname',
	65404: 'nickname too long, at most 16 characters',
	65405: 'kf_account count exceeded',
	// WeChat's own spelling.
	65406: 'kf_account exsited',
	65407: 'the invitee is already a worker of this kf_account',
	65408: 'an invitation to this invitee is already pending',
	65409: 'invalid invite_wx',
	65410: 'the invitee is bound to too many kf_accounts',
	65411: 'this kf_account already has a pending invitation',
	65412: 'the invitee refused the invitation',
	89501: 'this IP is waiting for the admin to confirm it, please contact the admin',
	89503: 'risky ip, need admin confirm',
	89506: 'the admin refused calls from this IP twice in 24 hours, retry after 24 hours',
};

/**
 * @param {number} errcode
 * @param {string} [errmsg] defaults to WeChat's own message for the errcode
 * @returns {{ errcode: number, errmsg: string }}
 */
function wechatError(errcode, errmsg) {
	return { errcode, errmsg: errmsg ?? ERRMSG_BY_ERRCODE[errcode] ?? `emulated errcode ${errcode}` };
}

/** WeChat's request id, which it appends to some errmsgs (`rid: 6718a3f2-0c1d2e3f-4a5b6c7d`). */
function wechatRequestId() {
	return [4, 4, 4].map((size) => crypto.randomBytes(size).toString('hex')).join('-');
}

module.exports = { wechatError, wechatRequestId };
