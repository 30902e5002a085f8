'use strict';

const KF_ACCOUNT_PREFIX = /^[A-Za-z0-9_]{1,10}$/;
const KF_ACCOUNT_SUFFIX_MAX_CHARACTERS = 30;
const WECHAT_ID = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;
const NICKNAME_MAX_CHARACTERS = 16;

/**
 * Whether the name is a kf_account of the official account, as WeChat's add page defines it: `prefix@wechat_id`,
 * the prefix 1 to 10 letters, digits or `_`, the suffix the official account's WeChat ID, at most 30 characters.
 * @param {unknown} name
 * @param {string} officialAccountId the official account's WeChat ID
 */
function isKfAccountOf(name, officialAccountId) {
	if (typeof name !== 'string') return false;
	const at = name.indexOf('@');
	if (at === -1) return false;
	const suffix = name.slice(at + 1);
	return (
		KF_ACCOUNT_PREFIX.test(name.slice(0, at)) &&
		suffix === officialAccountId &&
		[...suffix].length <= KF_ACCOUNT_SUFFIX_MAX_CHARACTERS
	);
}

/**
 * Whether the id can be a WeChat ID: 6 to 20 letters, digits, `-` or `_`, starting with a letter.
 * @param {unknown} id
 */
function isWeChatId(id) {
	return typeof id === 'string' && WECHAT_ID.test(id);
}

/**
 * Whether WeChat takes the nickname: present, not blank, at most 16 characters ("最长16个字").
 * @param {unknown} nickname
 */
function isValidNickname(nickname) {
	if (typeof nickname !== 'string' || nickname.trim() === '') return false;
	// Code points, not UTF-16 units, so a Chinese or emoji nickname counts as people read it.
	return [...nickname].length <= NICKNAME_MAX_CHARACTERS;
}

module.exports = { isKfAccountOf, isWeChatId, isValidNickname };
