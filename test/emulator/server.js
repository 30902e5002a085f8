'use strict';

const { setMaxListeners } = require('node:events');
const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const { CONTROL_PATH_PREFIX, handleControlRequest } = require('./control-routes');
const { deliverAnswerThroughFault, playFault } = require('./fault-responses');
const { actsAfterAnswer } = require('./faults');
const { drainRequest, sendJson } = require('./http-io');
const { delayFor } = require('./latency');
const { expireAllTokens } = require('./official-accounts');
const { recordRequestForEcho } = require('./request-echo');
const { ROUTES_BY_PATH } = require('./routes');
const { wechatError } = require('./wechat-errors');

const UPLOAD_PATH = '/customservice/kfaccount/uploadheadimg';

/**
 * @param {import('./state').EmulatorState} state
 * @param {import('./controls').EmulatorControls} controls
 */
function createEmulatorServer(state, controls) {
	const closing = new AbortController();
	// Every answer held back by latency or a delay fault listens for the emulator closing: there may be many at once.
	setMaxListeners(0, closing.signal);
	let uploadsInFlight = 0;
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function handleRequest(req, res) {
		const url = new URL(req.url ?? '/', 'http://emulator.invalid');
		if (url.pathname.startsWith(CONTROL_PATH_PREFIX)) return handleControlRequest(req, res, url, controls);

		const route = ROUTES_BY_PATH[url.pathname];
		if (!route) {
			await drainRequest(req);
			return sendJson(res, 404, { errcode: 404, errmsg: `no such API: ${url.pathname}` });
		}
		if (url.pathname === UPLOAD_PATH) {
			uploadsInFlight += 1;
			state.counters.uploadsInFlightPeak = Math.max(state.counters.uploadsInFlightPeak, uploadsInFlight);
			res.once('close', () => (uploadsInFlight -= 1));
		}
		if (route.countsAs === 'api') {
			state.counters.apiCalls[url.pathname] = (state.counters.apiCalls[url.pathname] ?? 0) + 1;
		} else {
			state.counters.tokenRequests[route.countsAs] += 1;
		}
		// Taken on arrival, so faults hit requests in the order they came in, however long their bodies take.
		const fault = state.faults.takeFor(url.pathname);
		if (fault?.kind === 'expireTokens') expireAllTokens(state.apps);
		const requestEcho = fault?.kind === 'proxyErrorEchoingRequest' ? recordRequestForEcho(req) : null;
		const input = await route.read(req);
		if (route.countsAs !== 'api') countTokenRequestByAppId(route.countsAs, route.appIdAsked?.(input, url));
		if (fault && !actsAfterAnswer(fault)) {
			if (await playFault(fault, { res, emulatorClosing: closing.signal, requestEcho })) return;
		}
		const latencyMs = delayFor(state.config.latency, endpointKind(route, url));
		if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: closing.signal });
		const answer =
			route.method && req.method !== route.method
				? wechatError(route.method === 'POST' ? 43002 : 43001)
				: route.answer(input, url, state);
		if (fault && actsAfterAnswer(fault)) return deliverAnswerThroughFault(fault, res, answer);
		sendJson(res, 200, answer);
	}

	/**
	 * @param {{ countsAs: string }} route
	 * @param {URL} url
	 * @returns {import('./latency').EndpointKind}
	 */
	function endpointKind(route, url) {
		if (route.countsAs !== 'api') return 'token';
		return url.pathname === UPLOAD_PATH ? 'upload' : 'other';
	}

	/**
	 * @param {'classic' | 'stable'} kind
	 * @param {unknown} appId
	 */
	function countTokenRequestByAppId(kind, appId) {
		const byAppId = state.counters.tokenRequestsByAppId;
		if (typeof appId === 'string' && Object.hasOwn(byAppId, appId)) byAppId[appId][kind] += 1;
	}

	const server = http.createServer((req, res) => {
		req.on('error', () => {});
		res.on('error', () => {});
		handleRequest(req, res).catch(() => {
			if (closing.signal.aborted) return;
			if (res.headersSent) res.destroy();
			else sendJson(res, 500, wechatError(-1));
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (_error, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});

	/**
	 * Stops listening and cuts every connection, hanging ones included.
	 * @returns {Promise<void>}
	 */
	function close() {
		closing.abort();
		const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
		for (const socket of sockets) socket.destroy();
		return closed;
	}

	return { server, close };
}

module.exports = { createEmulatorServer };
