'use strict';

const { accessTokenRefusal } = require('./access-token-check');
const { drainRequest, parseJsonObject, readBodyText } = require('./http-io');
const { isKfAccountOf, isWeChatId, nicknameErrcode } = require('./kf-account-rules');
const { invitationErrcode } = require('./kf-invitations');
const { wechatError } = require('./wechat-errors');

const KF_ACCOUNT_BODY_MAX_BYTES = 64 * 1024;

/** @param {import('node:http').IncomingMessage} req */
const readJsonBody = (req) => readBodyText(req, KF_ACCOUNT_BODY_MAX_BYTES);

/**
 * A POST endpoint whose body must be a JSON object, answered only for a valid access token.
 * @param {(body: Record<string, unknown>, url: URL, state: import('./state').EmulatorState) => object} answerBody
 * @returns {import('./routes').Route<string | null>}
 */
function jsonBodyRoute(answerBody) {
	return {
		countsAs: 'api',
		method: 'POST',
		read: readJsonBody,
		answer(bodyText, url, state) {
			const refusal = accessTokenRefusal(url, state);
			if (refusal) return refusal;
			const body = parseJsonObject(bodyText);
			if (!body) return wechatError(47001);
			return answerBody(body, url, state);
		},
	};
}

const addKfAccount = jsonBodyRoute((body, _url, state) => {
	const { kf_account: name, nickname } = body;
	if (!isKfAccountOf(name, state.config.officialAccountId)) return wechatError(65401);
	if (state.kfAccounts.has(name)) return wechatError(65406);
	const nicknameRefusal = nicknameErrcode(nickname);
	if (nicknameRefusal) return wechatError(nicknameRefusal);
	if (state.kfAccounts.size >= state.config.maxAccounts) return wechatError(65405);
	state.kfAccounts.add(/** @type {string} */ (name), /** @type {string} */ (nickname));
	return wechatError(0);
});

const updateKfAccount = jsonBodyRoute((body, _url, state) => {
	const { kf_account: name, nickname } = body;
	if (!state.kfAccounts.has(name)) return wechatError(65401);
	const nicknameRefusal = nicknameErrcode(nickname);
	if (nicknameRefusal) return wechatError(nicknameRefusal);
	state.kfAccounts.rename(/** @type {string} */ (name), /** @type {string} */ (nickname));
	return wechatError(0);
});

/** @type {import('./routes').Route<void>} */
const deleteKfAccount = {
	countsAs: 'api',
	method: 'GET',
	read: drainRequest,
	answer(_input, url, state) {
		const refusal = accessTokenRefusal(url, state);
		if (refusal) return refusal;
		const names = url.searchParams.getAll('kf_account');
		if (names.length !== 1 || !state.kfAccounts.has(names[0])) return wechatError(65401);
		state.kfAccounts.remove(names[0]);
		return wechatError(0);
	},
};

const inviteWorker = jsonBodyRoute((body, _url, state) => {
	const { kf_account: name, invite_wx: inviteWx } = body;
	if (!state.kfAccounts.has(name)) return wechatError(65401);
	if (!isWeChatId(inviteWx)) return wechatError(65409);
	const account = state.kfAccounts.account(name);
	const invitationRefusal = invitationErrcode(account, /** @type {string} */ (inviteWx), {
		saturatedWeChatIds: state.config.saturatedWeChatIds,
		nowSeconds: state.kfAccounts.nowSeconds(),
	});
	if (invitationRefusal) return wechatError(invitationRefusal);
	state.kfAccounts.invite(account.kf_account, /** @type {string} */ (inviteWx));
	return wechatError(0);
});

module.exports = { addKfAccount, updateKfAccount, deleteKfAccount, inviteWorker };
