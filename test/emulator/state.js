'use strict';

const { checkedLatency } = require('./latency');
const { CallerAccess } = require('./caller-access');
const { createClock } = require('./clock');
const { createCounters } = require('./counters');
const { FaultQueue } = require('./faults');
const { createOfficialAccounts } = require('./official-accounts');

const WRONG_SECRET_ERRCODES = [40001, 40125];

/**
 * @typedef {object} EmulatorOptions
 * @property {string} [appId] the default Official Account's
 * @property {string} [appSecret]
 * @property {string} [officialAccountId] the default Official Account's WeChat ID, which its kf accounts end with
 * @property {string[]} [accounts] the default Official Account's kf accounts, full `prefix@wechat_id` names;
 *   `agent1@<officialAccountId>` when left out
 * @property {import('./official-accounts').OfficialAccountOptions[]} [apps] more Official Accounts besides the
 *   default one, each with its own tokens and kf accounts; officialAccountId `sandbox_oa<n>` (n from 2) when left out
 * @property {number} [maxAccounts] how many kf accounts each Official Account may have
 * @property {string[]} [saturatedWeChatIds] WeChat users already bound to as many kf accounts as WeChat allows
 * @property {number} [tokenLifetimeSeconds]
 * @property {40001 | 40125} [wrongSecretErrcode] what the token endpoints answer to a wrong AppSecret; WeChat's
 *   /cgi-bin/token page documents both
 * @property {boolean} [rejectPng] answer 40005 to PNG avatars, as WeChat's Chinese documentation says it may
 * @property {import('./latency').Latency} [latency] how long answers take, per kind of endpoint (none by default)
 * @property {number} [port] 0 picks a free one
 * @property {string} [host]
 */

/**
 * @typedef {object} AvatarUpload
 * @property {string} appId the Official Account whose token made the upload
 * @property {string} kfAccount
 * @property {string} fileName as it arrived, decoded from `filename*` or `filename`
 * @property {boolean} fileNameRawAscii the `filename` parameter on the wire was printable ASCII, without `filename*`
 * @property {string} contentType
 * @property {number} size
 * @property {string} sha256
 * @property {string} accessToken
 * @property {string} receivedAt ISO time on the emulator's clock
 */

/**
 * @typedef {object} EmulatorConfig
 * @property {boolean} rejectPng
 * @property {import('./latency').Latency} latency
 * @property {number} maxAccounts
 * @property {string[]} saturatedWeChatIds
 * @property {40001 | 40125} wrongSecretErrcode
 */

/**
 * @typedef {object} EmulatorState
 * @property {EmulatorConfig} config
 * @property {import('./clock').EmulatorClock} clock
 * @property {import('./official-accounts').OfficialAccount[]} apps the default Official Account first
 * @property {FaultQueue} faults
 * @property {CallerAccess} callerAccess
 * @property {import('./counters').EmulatorCounters} counters
 * @property {AvatarUpload[]} uploads
 */

/**
 * @param {EmulatorOptions} options
 * @returns {EmulatorState}
 */
function createEmulatorState({
	appId = 'wx0123456789abcdef',
	appSecret = 'emulator-app-secret-0123456789ab',
	officialAccountId = 'sandbox_oa',
	accounts,
	apps: otherApps = [],
	maxAccounts = 100,
	saturatedWeChatIds = [],
	tokenLifetimeSeconds = 7200,
	wrongSecretErrcode = 40125,
	rejectPng = false,
	latency,
}) {
	if (!Number.isInteger(maxAccounts) || maxAccounts < 0) {
		throw new TypeError('maxAccounts must be a non-negative integer');
	}
	if (!isStringArray(saturatedWeChatIds)) throw new TypeError('saturatedWeChatIds must be an array of WeChat IDs');
	if (!(tokenLifetimeSeconds > 0)) throw new TypeError('tokenLifetimeSeconds must be positive');
	if (!WRONG_SECRET_ERRCODES.includes(wrongSecretErrcode)) {
		throw new TypeError(`wrongSecretErrcode must be 40001 or 40125, got ${JSON.stringify(wrongSecretErrcode)}`);
	}
	const clock = createClock();
	const apps = createOfficialAccounts({ appId, appSecret, officialAccountId, accounts }, otherApps, {
		clock,
		tokenLifetimeSeconds,
	});
	return {
		config: { rejectPng, maxAccounts, saturatedWeChatIds: [...saturatedWeChatIds], wrongSecretErrcode, latency: checkedLatency(latency) },
		clock,
		apps,
		faults: new FaultQueue(),
		callerAccess: new CallerAccess(),
		counters: createCounters(apps.map((app) => app.appId)),
		uploads: [],
	};
}

/** @param {unknown} value */
function isStringArray(value) {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

module.exports = { createEmulatorState };
