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
 * @property {string[]} [accounts] the kf accounts that exist, full `prefix@wechat_id` names
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
 * @typedef {object} EmulatorState
 * @property {{ appId: string, appSecret: string, rejectPng: boolean }} config
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
	accounts = ['agent1@sandbox_oa'],
	tokenLifetimeSeconds = 7200,
	rejectPng = false,
}) {
	if (!Array.isArray(accounts) || !accounts.every((account) => typeof account === 'string')) {
		throw new TypeError('accounts must be an array of kf_account strings');
	}
	if (!(tokenLifetimeSeconds > 0)) throw new TypeError('tokenLifetimeSeconds must be positive');
	const clock = createClock();
	return {
		config: { appId, appSecret, rejectPng },
		clock,
		tokens: new TokenStore(clock, tokenLifetimeSeconds),
		faults: new FaultQueue(),
		callerAccess: new CallerAccess(),
		counters: createCounters(),
		uploads: [],
		kfAccounts: new KfAccountDirectory(accounts),
	};
}

module.exports = { createEmulatorState };
