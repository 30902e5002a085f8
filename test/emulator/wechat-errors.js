'use strict';

const crypto = require('node:crypto');

/**
 * The errmsg WeChat sends with each errcode the emulator produces, in the words of WeChat's own errcode pages.
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
	40014: 'invalid access_token',
	40125: 'invalid appsecret',
	41001: 'access_token missing',
	41002: 'appid missing',
	41004: 'appsecret missing',
	41005: 'media data missing',
	42001: 'access_token expired',
	43001: 'require GET method',
	43002: 'require POST method',
	45009: 'reach max api daily quota limit',
	45011: 'api minute-quota reach limit, must slower, retry next minute',
	47001: 'data format error',
	48001: 'api unauthorized',
	48004: 'api forbidden for irregularities',
	65400: 'please enable new custom service or wait for a while if you have enabled',
	65401: 'invalid custom service account',
	65402: 'the custom service account need to bind a wechat user',
	65403: 'illegal nickname',
	65404: 'illegal custom service account',
	65405: 'custom service account number reach limit',
	65406: 'custom service account exists',
	65407: 'the wechat user have been one of your workers',
	65408: 'you have already invited the wechat user',
	65409: 'wechat account invalid',
	65410: 'too many custom service accounts bound by the worker',
	65411: 'a effective invitation to bind the custom service account exists',
	65412: 'the custom service account have been bound by a wechat user',
	65413: 'no effective session for the customer',
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
