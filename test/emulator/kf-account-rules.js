'use strict';

const KF_ACCOUNT_PREFIX = /^[A-Za-z0-9_]{1,10}$/;
const WECHAT_ID = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;
const NICKNAME_MAX_CHARACTERS = 16;

/**
 * Whether the name is a kf_account of the official account: `prefix@wechat_id`, the prefix 1 to 10 letters,
 * digits or `_`.
 * @param {unknown} name
 * @param {string} officialAccountId the official account's WeChat ID
 */
function isKfAccountOf(name, officialAccountId) {
	if (typeof name !== 'string') return false;
	const at = name.indexOf('@');
	return at !== -1 && KF_ACCOUNT_PREFIX.test(name.slice(0, at)) && name.slice(at + 1) === officialAccountId;
}

/**
 * Whether the id can be a WeChat ID: 6 to 20 letters, digits, `-` or `_`, starting with a letter.
 * @param {unknown} id
 */
function isWeChatId(id) {
	return typeof id === 'string' && WECHAT_ID.test(id);
}

/**
 * The errcode WeChat refuses a nickname with: 65403 when missing or blank, 65404 when longer than 16 characters.
 * @param {unknown} nickname
 * @returns {65403 | 65404 | null}
 */
function nicknameErrcode(nickname) {
	if (typeof nickname !== 'string' || nickname.trim() === '') return 65403;
	// Code points, not UTF-16 units, so a Chinese or emoji nickname counts as people read it.
	if ([...nickname].length > NICKNAME_MAX_CHARACTERS) return 65404;
	return null;
}

module.exports = { isKfAccountOf, isWeChatId, nicknameErrcode };
