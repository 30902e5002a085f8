'use strict';

const { checkAccessToken } = require('./access-token-check');
const { drainRequest } = require('./http-io');
const { detectImageType } = require('./image-types');
const { readSingleFileUpload } = require('./multipart');
const { wechatError } = require('./wechat-errors');

const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
const AVATAR_CONTENT_TYPES = ['image/jpeg', 'image/png'];

/** @type {import('./routes').Route<import('./multipart').MultipartResult>} */
const uploadAvatar = {
	countsAs: 'api',
	method: 'POST',
	read: (req) => readSingleFileUpload(req, { fileFieldName: 'media', maxFileBytes: AVATAR_MAX_BYTES }),
	answer(upload, url, state) {
		const { app, accessToken, refusal } = checkAccessToken(url, state);
		if (refusal) return refusal;
		if (!upload.ok) return wechatError(upload.errcode);
		const { file } = upload;
		// A part without a Content-Type is refused like a wrong one: WeChat's page asks for the file's type.
		if (file.contentType === null || !AVATAR_CONTENT_TYPES.includes(file.contentType)) return wechatError(40005);
		const realType = detectImageType(file.leadingBytes);
		if (realType !== file.contentType) return wechatError(40005);
		if (realType === 'image/png' && state.config.rejectPng) return wechatError(40005);

		const kfAccounts = url.searchParams.getAll('kf_account');
		if (kfAccounts.length !== 1 || !app.kfAccounts.has(kfAccounts[0])) return wechatError(65401);
		const [kfAccount] = kfAccounts;

		app.kfAccounts.setAvatar(kfAccount, { sha256: file.sha256, contentType: realType });
		state.uploads.push({
			appId: app.appId,
			kfAccount,
			fileName: file.fileName,
			fileNameRawAscii: file.fileNameRawAscii,
			contentType: file.contentType,
			size: file.size,
			sha256: file.sha256,
			accessToken,
			receivedAt: new Date(state.clock.nowMs()).toISOString(),
		});
		state.counters.uploads += 1;
		return wechatError(0);
	},
};

/** @type {import('./routes').Route<void>} */
const listKfAccounts = {
	countsAs: 'api',
	method: 'GET',
	read: drainRequest,
	answer(_input, url, state) {
		const { app, refusal } = checkAccessToken(url, state);
		return refusal ?? { kf_list: app.kfAccounts.list() };
	},
};

/** @type {import('./routes').Route<void>} */
const listOnlineKfAccounts = {
	countsAs: 'api',
	method: 'GET',
	read: drainRequest,
	answer(_input, url, state) {
		const { app, refusal } = checkAccessToken(url, state);
		return refusal ?? { kf_online_list: app.kfAccounts.onlineList() };
	},
};

module.exports = { uploadAvatar, listKfAccounts, listOnlineKfAccounts };
