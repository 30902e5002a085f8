'use strict';

const http = require('node:http');
const { CONTROL_PATH_PREFIX, handleControlRequest } = require('./control-routes');
const { playFault } = require('./fault-responses');
const { drainRequest, sendJson } = require('./http-io');
const { ROUTES_BY_PATH } = require('./routes');
const { wechatError } = require('./wechat-errors');

/**
 * @param {import('./state').EmulatorState} state
 * @param {import('./controls').EmulatorControls} controls
 */
function createEmulatorServer(state, controls) {
	const closing = new AbortController();
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
		if (route.countsAs === 'api') {
			state.counters.apiCalls[url.pathname] = (state.counters.apiCalls[url.pathname] ?? 0) + 1;
		} else {
			state.counters.tokenRequests[route.countsAs] += 1;
		}
		// Taken on arrival, so faults hit requests in the order they came in, however long their bodies take.
		const fault = state.faults.takeFor(url.pathname);
		if (fault?.kind === 'expireTokens') state.tokens.expireAll();
		const input = await route.read(req);
		if (fault && (await playFault(fault, res, closing.signal))) return;
		if (route.method && req.method !== route.method) {
			return sendJson(res, 200, wechatError(route.method === 'POST' ? 43002 : 43001));
		}
		sendJson(res, 200, route.answer(input, url, state));
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
