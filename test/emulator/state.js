'use strict';

const { CallerAccess } = require('./caller-access');
const { createClock } = require('./clock');
const { createCounters } = require('./counters');
const { FaultQueue } = require('./faults');
const { KfAccountDirectory } = require('./kf-accounts');
const { TokenStore } = require('./tokens');

/**
 * @typedef {object} EmulatorOptions
 * @property {string} [appId]
 * @property {string} [appSecret]
 * @property {string} [officialAccountId] the official account's WeChat ID, which new kf accounts must end with
 * @property {string[]} [accounts] the kf accounts that exist, full `prefix@wechat_id` names;
 *   `agent1@<officialAccountId>` when left out
 * @property {number} [maxAccounts] how many kf accounts the official account may have
 * @property {string[]} [saturatedWeChatIds] WeChat users already bound to as many kf accounts as WeChat allows
 * @property {number} [tokenLifetimeSeconds]
 * @property {boolean} [rejectPng] answer 40005 to PNG avatars, as WeChat's Chinese documentation says it may
 * @property {number} [port] 0 picks a free one
 * @property {string} [host]
 */

/**
 * @typedef {object} AvatarUpload
 * @property {string} kfAccount
 * @property {string} fileName
 * @property {string} contentType
 * @property {number} size
 * @property {string} sha256
 * @property {string} accessToken
 * @property {string} receivedAt ISO time on the emulator's clock
 */

/**
 * @typedef {object} EmulatorConfig
 * @property {string} appId
 * @property {string} appSecret
 * @property {boolean} rejectPng
 * @property {string} officialAccountId
 * @property {number} maxAccounts
 * @property {string[]} saturatedWeChatIds
 */

/**
 * @typedef {object} EmulatorState
 * @property {EmulatorConfig} config
 * @property {import('./clock').EmulatorClock} clock
 * @property {TokenStore} tokens
 * @property {FaultQueue} faults
 * @property {CallerAccess} callerAccess
 * @property {import('./counters').EmulatorCounters} counters
 * @property {AvatarUpload[]} uploads
 * @property {KfAccountDirectory} kfAccounts
 */

/**
 * @param {EmulatorOptions} options
 * @returns {EmulatorState}
 */
function createEmulatorState({
	appId = 'wx0123456789abcdef',
	appSecret = 'emulator-app-secret-0123456789ab',
	officialAccountId = 'sandbox_oa',
	accounts = [`agent1@${officialAccountId}`],
	maxAccounts = 100,
	saturatedWeChatIds = [],
	tokenLifetimeSeconds = 7200,
	rejectPng = false,
}) {
	if (typeof officialAccountId !== 'string' || officialAccountId === '') {
		throw new TypeError('officialAccountId must be a non-empty string');
	}
	if (!isStringArray(accounts)) throw new TypeError('accounts must be an array of kf_account strings');
	if (!Number.isInteger(maxAccounts) || maxAccounts < 0) {
		throw new TypeError('maxAccounts must be a non-negative integer');
	}
	if (!isStringArray(saturatedWeChatIds)) throw new TypeError('saturatedWeChatIds must be an array of WeChat IDs');
	if (!(tokenLifetimeSeconds > 0)) throw new TypeError('tokenLifetimeSeconds must be positive');
	const clock = createClock();
	return {
		config: {
			appId,
			appSecret,
			rejectPng,
			officialAccountId,
			maxAccounts,
			saturatedWeChatIds: [...saturatedWeChatIds],
		},
		clock,
		tokens: new TokenStore(clock, tokenLifetimeSeconds),
		faults: new FaultQueue(),
		callerAccess: new CallerAccess(),
		counters: createCounters(),
		uploads: [],
		kfAccounts: new KfAccountDirectory(accounts, clock),
	};
}

/** @param {unknown} value */
function isStringArray(value) {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

module.exports = { createEmulatorState };
