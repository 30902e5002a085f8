'use strict';

const FIRST_KF_ID = 1001;

/**
 * @typedef {object} KfAccount
 * @property {string} kf_account
 * @property {string} kf_nick
 * @property {number} kf_id
 * @property {string} kf_headimgurl
 */

/** The customer-service accounts of the emulated official account, as getkflist lists them. */
class KfAccountDirectory {
	/** @param {string[]} accountNames full `prefix@wechat_id` names */
	constructor(accountNames) {
		/** @type {KfAccount[]} */
		this.accounts = accountNames.map((name, index) => {
			const kfId = FIRST_KF_ID + index;
			return {
				kf_account: name,
				kf_nick: name.split('@')[0],
				kf_id: kfId,
				kf_headimgurl: `http://mmbiz.qpic.cn/mmbiz_jpg/emulator-default-avatar-${kfId}/300?wx_fmt=jpeg`,
			};
		});
		this.avatarsReceived = 0;
	}

	/** @param {string} name */
	has(name) {
		return this.accounts.some((account) => account.kf_account === name);
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

	/** @returns {KfAccount[]} */
	list() {
		return this.accounts.map((account) => ({ ...account }));
	}

	/** @returns {string[]} */
	names() {
		return this.accounts.map((account) => account.kf_account);
	}
}

module.exports = { KfAccountDirectory };
