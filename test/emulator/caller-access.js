'use strict';

const { wechatError, wechatRequestId } = require('./wechat-errors');

/**
 * Whether the token endpoints let the caller in: WeChat refuses IPs that are not on the account's whitelist
 * (40164) and IPs an admin has not approved yet (89501, 89503, 89506).
 */
class CallerAccess {
	constructor() {
		/** @type {string | null} */
		this.blockedIp = null;
		/** @type {number | null} */
		this.approvalErrcode = null;
	}

	/** @param {string} ip */
	blockIp(ip) {
		if (typeof ip !== 'string' || ip === '') throw new TypeError('blockCallerIp needs an IP address');
		this.blockedIp = ip;
	}

	unblockIp() {
		this.blockedIp = null;
	}

	/** @param {number} errcode */
	requireApproval(errcode) {
		if (!Number.isInteger(errcode)) throw new TypeError('requireIpApproval needs an integer errcode');
		this.approvalErrcode = errcode;
	}

	clearApproval() {
		this.approvalErrcode = null;
	}

	/** @returns {{ errcode: number, errmsg: string } | null} the refusal, or null when the caller may go on */
	refusal() {
		if (this.blockedIp !== null) {
			const ip = this.blockedIp;
			return wechatError(
				40164,
				`invalid ip ${ip} ipv6 ::ffff:${ip}, not in whitelist rid: ${wechatRequestId()}`,
			);
		}
		if (this.approvalErrcode !== null) {
			const { errmsg } = wechatError(this.approvalErrcode);
			return wechatError(this.approvalErrcode, `${errmsg} rid: ${wechatRequestId()}`);
		}
		return null;
	}
}

module.exports = { CallerAccess };
