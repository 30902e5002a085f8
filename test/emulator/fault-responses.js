'use strict';

const { setTimeout: sleep } = require('node:timers/promises');
const { sendJson, sendRaw, WECHAT_JSON_CONTENT_TYPE } = require('./http-io');
const { upstreamErrorPage } = require('./request-echo');
const { wechatError } = require('./wechat-errors');

const NGINX_502_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * @typedef {object} FaultContext
 * @property {import('node:http').ServerResponse} res
 * @property {AbortSignal} emulatorClosing cuts delays short when the emulator closes
 * @property {import('./request-echo').RequestEcho | null} requestEcho kept for 'proxyErrorEchoingRequest'
 */

/**
 * Plays a fault out on a request whose body has been read, before it is carried out.
 * @param {import('./faults').QueuedFault} fault
 * @param {FaultContext} context
 * @returns {Promise<boolean>} true when the fault took the place of the normal answer
 */
async function playFault(fault, { res, emulatorClosing, requestEcho }) {
	switch (fault.kind) {
		case 'errcode':
			sendJson(res, 200, wechatError(/** @type {number} */ (fault.errcode), fault.errmsg));
			return true;
		case 'stringErrcode': {
			const { errcode, errmsg } = wechatError(/** @type {number} */ (fault.errcode), fault.errmsg);
			sendJson(res, 200, { errcode: String(errcode), errmsg });
			return true;
		}
		case 'busy':
			sendJson(res, 200, wechatError(-1));
			return true;
		case 'html502':
			sendRaw(res, 502, NGINX_502_PAGE, { 'Content-Type': 'text/html', Server: 'nginx' });
			return true;
		case 'proxyErrorEchoingRequest':
			sendRaw(res, 502, upstreamErrorPage(/** @type {import('./request-echo').RequestEcho} */ (requestEcho)), {
				'Content-Type': 'text/plain; charset=utf-8',
			});
			return true;
		case 'truncatedJson':
			sendRaw(res, 200, '{"errcode":0,"errm', { 'Content-Type': WECHAT_JSON_CONTENT_TYPE });
			return true;
		case 'unquotedErrcode':
			sendRaw(res, 200, '{"errcode":ok,"errmsg":"ok"}', { 'Content-Type': WECHAT_JSON_CONTENT_TYPE });
			return true;
		case 'reset':
			res.socket?.resetAndDestroy();
			return true;
		case 'hang':
			return true;
		case 'delay':
			await sleep(fault.ms, undefined, { signal: emulatorClosing });
			return false;
		case 'expireTokens':
		case 'commitThenReset':
		case 'commitThenHang':
		case 'truncatedTokenAnswer':
			return false;
	}
}

/**
 * Sends, spoils or loses the answer of a request already carried out, as a fault that acts after it says.
 * @param {import('./faults').QueuedFault} fault one that actsAfterAnswer
 * @param {import('node:http').ServerResponse} res
 * @param {object} answer
 */
function deliverAnswerThroughFault(fault, res, answer) {
	switch (fault.kind) {
		case 'commitThenReset':
			res.socket?.resetAndDestroy();
			return;
		case 'commitThenHang':
			return;
		case 'truncatedTokenAnswer':
			sendRaw(res, 200, cutInsideAccessToken(JSON.stringify(answer), Reflect.get(answer, 'access_token')), {
				'Content-Type': WECHAT_JSON_CONTENT_TYPE,
			});
			return;
		default:
			sendJson(res, 200, answer);
	}
}

/**
 * The JSON text cut half-way through the access_token value, or half-way through when there is none.
 * @param {string} json
 * @param {unknown} accessToken
 */
function cutInsideAccessToken(json, accessToken) {
	if (typeof accessToken !== 'string' || accessToken === '') return json.slice(0, Math.floor(json.length / 2));
	const tokenStart = json.indexOf(JSON.stringify(accessToken)) + 1;
	return json.slice(0, tokenStart + Math.floor(accessToken.length / 2));
}

module.exports = { playFault, deliverAnswerThroughFault };
