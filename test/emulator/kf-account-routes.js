'use strict';

const { checkAccessToken } = require('./access-token-check');
const { drainRequest, parseJsonObject, readBodyText } = require('./http-io');
const { isKfAccountOf, isValidNickname, isWeChatId } = require('./kf-account-rules');
const { invitationErrcode } = require('./kf-invitations');
const { wechatError } = require('./wechat-errors');

const KF_ACCOUNT_BODY_MAX_BYTES = 64 * 1024;

/** @param {import('node:http').IncomingMessage} req */
const readJsonBody = (req) => readBodyText(req, KF_ACCOUNT_BODY_MAX_BYTES);

/**
 * @callback AnswerJsonBody
 * @param {Record<string, unknown>} body
 * @param {import('./official-accounts').OfficialAccount} app the Official Account whose token the call carries
 * @param {import('./state').EmulatorState} state
 * @returns {object}
 */

/**
 * A POST endpoint whose body must be a JSON object, answered only for a valid access token.
 * @param {AnswerJsonBody} answerBody
 * @returns {import('./routes').Route<string | null>}
 */
function jsonBodyRoute(answerBody) {
	return {
		countsAs: 'api',
		method: 'POST',
		read: readJsonBody,
		answer(bodyText, url, state) {
			const { app, refusal } = checkAccessToken(url, state);
			if (refusal) return refusal;
			const body = parseJsonObject(bodyText);
			if (!body) return wechatError(47001);
			return answerBody(body, app, state);
		},
	};
}

const addKfAccount = jsonBodyRoute((body, app, state) => {
	const { kf_account: name, nickname } = body;
	if (!isKfAccountOf(name, app.officialAccountId)) return wechatError(65404);
	if (app.kfAccounts.has(name)) return wechatError(65406);
	if (!isValidNickname(nickname)) return wechatError(65403);
	if (app.kfAccounts.size >= state.config.maxAccounts) return wechatError(65405);
	app.kfAccounts.add(/** @type {string} */ (name), /** @type {string} */ (nickname));
	return wechatError(0);
});

const updateKfAccount = jsonBodyRoute((body, app) => {
	const { kf_account: name, nickname } = body;
	if (!app.kfAccounts.has(name)) return wechatError(65401);
	if (!isValidNickname(nickname)) return wechatError(65403);
	app.kfAccounts.rename(/** @type {string} */ (name), /** @type {string} */ (nickname));
	return wechatError(0);
});

/** @type {import('./routes').Route<void>} */
const deleteKfAccount = {
	countsAs: 'api',
	method: 'GET',
	read: drainRequest,
	answer(_input, url, state) {
		const { app, refusal } = checkAccessToken(url, state);
		if (refusal) return refusal;
		const names = url.searchParams.getAll('kf_account');
		if (names.length !== 1 || !app.kfAccounts.has(names[0])) return wechatError(65401);
		app.kfAccounts.remove(names[0]);
		return wechatError(0);
	},
};

const inviteWorker = jsonBodyRoute((body, app, state) => {
	const { kf_account: name, invite_wx: inviteWx } = body;
	if (!app.kfAccounts.has(name)) return wechatError(65401);
	if (!isWeChatId(inviteWx)) return wechatError(65409);
	const account = app.kfAccounts.account(name);
	const invitationRefusal = invitationErrcode(account, /** @type {string} */ (inviteWx), {
		workerWeChatIds: app.kfAccounts.boundWeChatIds(),
		saturatedWeChatIds: state.config.saturatedWeChatIds,
		nowSeconds: app.kfAccounts.nowSeconds(),
	});
	if (invitationRefusal) return wechatError(invitationRefusal);
	app.kfAccounts.invite(account.kf_account, /** @type {string} */ (inviteWx));
	return wechatError(0);
});

module.exports = { addKfAccount, updateKfAccount, deleteKfAccount, inviteWorker };
