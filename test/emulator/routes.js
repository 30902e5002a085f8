'use strict';

const { CLASSIC_TOKEN_PATH, STABLE_TOKEN_PATH, UPLOAD_AVATAR_PATH } = require('./api-paths');
const kfAccountRoutes = require('./kf-account-routes');
const kfRoutes = require('./kf-routes');
const tokenRoutes = require('./token-routes');

/**
 * What the server needs to know about one WeChat API path. The server reads the request with `read`, gives any
 * queued fault its turn, checks the method, then sends what `answer` returns as HTTP 200 JSON (or lets a fault
 * that commits lose it).
 * @template Input
 * @typedef {object} Route
 * @property {'classic' | 'stable' | 'api'} countsAs which counter a request to it bumps
 * @property {'GET' | 'POST'} [method] the only method WeChat accepts there, when it insists on one
 * @property {(req: import('node:http').IncomingMessage) => Promise<Input>} read reads the request to its end
 * @property {(input: Input, url: URL) => unknown} [appIdAsked] the AppID a token request names, for the counters
 * @property {(input: Input, url: URL, state: import('./state').EmulatorState) => object} answer
 */

/** @type {Record<string, Route<any>>} */
const ROUTES_BY_PATH = {
	[CLASSIC_TOKEN_PATH]: tokenRoutes.classicToken,
	[STABLE_TOKEN_PATH]: tokenRoutes.stableToken,
	[UPLOAD_AVATAR_PATH]: kfRoutes.uploadAvatar,
	'/cgi-bin/customservice/getkflist': kfRoutes.listKfAccounts,
	'/cgi-bin/customservice/getonlinekflist': kfRoutes.listOnlineKfAccounts,
	'/customservice/kfaccount/add': kfAccountRoutes.addKfAccount,
	'/customservice/kfaccount/update': kfAccountRoutes.updateKfAccount,
	'/customservice/kfaccount/del': kfAccountRoutes.deleteKfAccount,
	'/customservice/kfaccount/inviteworker': kfAccountRoutes.inviteWorker,
};

module.exports = { ROUTES_BY_PATH };
