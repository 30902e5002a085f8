'use strict';

const { setTimeout: sleep } = require('node:timers/promises');
const { sendJson, sendRaw, WECHAT_JSON_CONTENT_TYPE } = require('./http-io');
const { wechatError } = require('./wechat-errors');

const NGINX_502_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * Plays a fault out on a request whose body has been read.
 * @param {import('./faults').QueuedFault} fault
 * @param {import('node:http').ServerResponse} res
 * @param {AbortSignal} emulatorClosing cuts delays short when the emulator closes
 * @returns {Promise<boolean>} true when the fault took the place of the normal answer
 */
async function playFault(fault, res, emulatorClosing) {
	switch (fault.kind) {
		case 'errcode':
			sendJson(res, 200, wechatError(/** @type {number} */ (fault.errcode), fault.errmsg));
			return true;
		case 'busy':
			sendJson(res, 200, wechatError(-1));
			return true;
		case 'html502':
			sendRaw(res, 502, NGINX_502_PAGE, { 'Content-Type': 'text/html', Server: 'nginx' });
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
			return false;
	}
}

module.exports = { playFault };
