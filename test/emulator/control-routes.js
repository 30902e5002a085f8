'use strict';

const { readBodyText, sendJson } = require('./http-io');

const CONTROL_PATH_PREFIX = '/__emulator/';
const CONTROL_BODY_MAX_BYTES = 64 * 1024;

/**
 * @typedef {object} ControlAction
 * @property {'GET' | 'POST'} method
 * @property {(body: any, controls: import('./controls').EmulatorControls) => object | void} run
 */

/**
 * Control actions by path (after the prefix). Each gets the parsed JSON body ({} when there is none) and
 * answers what it returns, or `{ ok: true }`.
 * @type {Record<string, ControlAction>}
 */
const CONTROL_ACTIONS = {
	state: { method: 'GET', run: (_body, controls) => controls.publicSnapshot() },
	faults: { method: 'POST', run: (body, controls) => controls.inject(body) },
	'clear-faults': { method: 'POST', run: (_body, controls) => controls.clearFaults() },
	latency: { method: 'POST', run: (body, controls) => controls.setLatency(body) },
	'expire-tokens': { method: 'POST', run: (_body, controls) => controls.expireAllTokens() },
	'invalidate-tokens': { method: 'POST', run: (_body, controls) => controls.invalidateAllTokens() },
	'reset-counters': { method: 'POST', run: (_body, controls) => controls.resetCounters() },
	'advance-clock': { method: 'POST', run: (body, controls) => controls.advanceClock(body.seconds) },
	'block-ip': { method: 'POST', run: (body, controls) => controls.blockCallerIp(body.ip) },
	'unblock-ip': { method: 'POST', run: (_body, controls) => controls.unblockCallerIp() },
	'require-ip-approval': {
		method: 'POST',
		run: (body, controls) => controls.requireIpApproval(body.errcode),
	},
	'clear-ip-approval': { method: 'POST', run: (_body, controls) => controls.clearIpApproval() },
	'accept-invitation': { method: 'POST', run: (body, controls) => controls.acceptInvitation(body.kf_account) },
	'refuse-invitation': { method: 'POST', run: (body, controls) => controls.refuseInvitation(body.kf_account) },
	'set-online': {
		method: 'POST',
		run: (body, controls) =>
			controls.setOnline(body.kf_account, { status: body.status, acceptedCase: body.accepted_case }),
	},
	'set-offline': { method: 'POST', run: (body, controls) => controls.setOffline(body.kf_account) },
};

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 * @param {import('./controls').EmulatorControls} controls
 */
async function handleControlRequest(req, res, url, controls) {
	const action = CONTROL_ACTIONS[url.pathname.slice(CONTROL_PATH_PREFIX.length)];
	const bodyText = await readBodyText(req, CONTROL_BODY_MAX_BYTES);
	if (!action) return sendJson(res, 404, { ok: false, error: `no control action at ${url.pathname}` });
	if (req.method !== action.method) {
		return sendJson(res, 405, { ok: false, error: `${url.pathname} takes ${action.method}` });
	}
	try {
		const body = bodyText ? JSON.parse(bodyText) : {};
		sendJson(res, 200, action.run(body ?? {}, controls) ?? { ok: true });
	} catch (error) {
		sendJson(res, 400, { ok: false, error: error instanceof Error ? error.message : String(error) });
	}
}

module.exports = { handleControlRequest, CONTROL_PATH_PREFIX };
