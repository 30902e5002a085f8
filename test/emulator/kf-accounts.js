'use strict';

const { invitationStatus, newInvitation } = require('./kf-invitations');

const FIRST_KF_ID = 1001;
const ONLINE_STATUSES = [1, 2, 3];

/**
 * A kf account as getkflist lists it: kf_wx once a WeChat user is bound to it, the invite_ fields while an
 * invitation is waiting, rejected or expired.
 * @typedef {object} KfAccount
 * @property {string} kf_account
 * @property {string} kf_nick
 * @property {number} kf_id
 * @property {string} kf_headimgurl
 * @property {string} [kf_wx]
 * @property {string} [invite_wx]
 * @property {number} [invite_expire_time]
 * @property {'waiting' | 'rejected' | 'expired'} [invite_status]
 */

/**
 * A kf account as getonlinekflist lists it.
 * @typedef {object} OnlineKfAccount
 * @property {string} kf_account
 * @property {number} status 1 web, 2 mobile, 3 both
 * @property {number} kf_id
 * @property {number} accepted_case sessions the agent is serving
 */

/**
 * @typedef {object} KfAccountRecord
 * @property {string} kf_account
 * @property {string} kf_nick
 * @property {number} kf_id
 * @property {string} kf_headimgurl
 * @property {string | null} kf_wx
 * @property {import('./kf-invitations').Invitation | null} invitation the latest one not accepted
 * @property {{ status: number, accepted_case: number } | null} online
 */

/** @param {number} kfId */
function defaultAvatarUrl(kfId) {
	return `http://mmbiz.qpic.cn/mmbiz_jpg/emulator-default-avatar-${kfId}/300?wx_fmt=jpeg`;
}

/** The customer-service accounts of one emulated official account. */
class KfAccountDirectory {
	/**
	 * @param {string[]} accountNames full `prefix@wechat_id` names, nicknamed after their prefix
	 * @param {import('./clock').EmulatorClock} clock
	 */
	constructor(accountNames, clock) {
		this.clock = clock;
		/** @type {KfAccountRecord[]} */
		this.accounts = [];
		this.nextKfId = FIRST_KF_ID;
		for (const name of accountNames) this.add(name, name.split('@')[0]);
		this.avatarsReceived = 0;
	}

	/** @param {unknown} name */
	has(name) {
		return this.accounts.some((account) => account.kf_account === name);
	}

	get size() {
		return this.accounts.length;
	}

	/**
	 * @param {string} name
	 * @param {string} nickname
	 */
	add(name, nickname) {
		const kfId = this.nextKfId;
		this.nextKfId += 1;
		this.accounts.push({
			kf_account: name,
			kf_nick: nickname,
			kf_id: kfId,
			kf_headimgurl: defaultAvatarUrl(kfId),
			kf_wx: null,
			invitation: null,
			online: null,
		});
	}

	/**
	 * @param {string} name
	 * @param {string} nickname
	 */
	rename(name, nickname) {
		this.account(name).kf_nick = nickname;
	}

	/** @param {string} name */
	remove(name) {
		this.accounts.splice(this.accounts.indexOf(this.account(name)), 1);
	}

	/**
	 * @param {string} name
	 * @param {{ sha256: string, contentType: string }} image
	 */
	setAvatar(name, image) {
		const account = this.accounts.find((candidate) => candidate.kf_account === name);
		if (!account) return;
		this.avatarsReceived += 1;
		const [folder, format] = image.contentType === 'image/png' ? ['mmbiz_png', 'png'] : ['mmbiz_jpg', 'jpeg'];
		// The upload count keeps the URL changing even when the same image is uploaded again.
		account.kf_headimgurl =
			`http://mmbiz.qpic.cn/${folder}/${image.sha256.slice(0, 32)}-${this.avatarsReceived}/300?wx_fmt=${format}`;
	}

	/**
	 * @param {string} name
	 * @param {string} inviteWx
	 */
	invite(name, inviteWx) {
		this.account(name).invitation = newInvitation(inviteWx, this.nowSeconds());
	}

	/**
	 * The invited WeChat user accepts: it is bound to the account.
	 * @param {string} name
	 */
	acceptInvitation(name) {
		const account = this.accountWithWaitingInvitation(name, 'acceptInvitation');
		account.kf_wx = /** @type {import('./kf-invitations').Invitation} */ (account.invitation).invite_wx;
		account.invitation = null;
	}

	/** @param {string} name */
	refuseInvitation(name) {
		const account = this.accountWithWaitingInvitation(name, 'refuseInvitation');
		/** @type {import('./kf-invitations').Invitation} */ (account.invitation).invite_status = 'rejected';
	}

	/**
	 * @param {string} name
	 * @param {{ status?: number, acceptedCase?: number }} [presence]
	 */
	setOnline(name, { status = 1, acceptedCase = 0 } = {}) {
		if (!ONLINE_STATUSES.includes(status)) {
			throw new TypeError(`setOnline status must be 1, 2 or 3, got ${JSON.stringify(status)}`);
		}
		if (!Number.isInteger(acceptedCase) || acceptedCase < 0) {
			throw new TypeError(`setOnline acceptedCase must be a non-negative integer, got ${JSON.stringify(acceptedCase)}`);
		}
		this.account(name).online = { status, accepted_case: acceptedCase };
	}

	/** @param {string} name */
	setOffline(name) {
		this.account(name).online = null;
	}

	/** @returns {KfAccount[]} */
	list() {
		const nowSeconds = this.nowSeconds();
		return this.accounts.map(({ kf_account, kf_nick, kf_id, kf_headimgurl, kf_wx, invitation }) => ({
			kf_account,
			kf_nick,
			kf_id,
			kf_headimgurl,
			...(kf_wx !== null && { kf_wx }),
			...(invitation && { ...invitation, invite_status: invitationStatus(invitation, nowSeconds) }),
		}));
	}

	/** @returns {OnlineKfAccount[]} */
	onlineList() {
		return this.accounts.flatMap(({ kf_account, kf_id, online }) =>
			online ? [{ kf_account, status: online.status, kf_id, accepted_case: online.accepted_case }] : [],
		);
	}

	/** @returns {string[]} the WeChat users bound to any of the accounts: the official account's workers */
	boundWeChatIds() {
		return this.accounts.flatMap((account) => (account.kf_wx === null ? [] : [account.kf_wx]));
	}

	/** @returns {string[]} */
	names() {
		return this.accounts.map((account) => account.kf_account);
	}

	/**
	 * @param {unknown} name
	 * @returns {KfAccountRecord}
	 */
	account(name) {
		const account = this.accounts.find((candidate) => candidate.kf_account === name);
		if (!account) throw new Error(`no kf account ${JSON.stringify(name)}`);
		return account;
	}

	/**
	 * @param {string} name
	 * @param {string} action
	 */
	accountWithWaitingInvitation(name, action) {
		const account = this.account(name);
		const { invitation } = account;
		if (!invitation || invitationStatus(invitation, this.nowSeconds()) !== 'waiting') {
			throw new Error(`${action}: ${name} has no waiting invitation`);
		}
		return account;
	}

	nowSeconds() {
		return Math.floor(this.clock.nowMs() / 1000);
	}
}

module.exports = { KfAccountDirectory };
