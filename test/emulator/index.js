'use strict';

const { createControls } = require('./controls');
const { createEmulatorServer } = require('./server');
const { createEmulatorState } = require('./state');

/**
 * Starts a WeChat API emulator on loopback.
 * @param {import('./state').EmulatorOptions} [options]
 */
async function startWeChatEmulator(options = {}) {
	const { port = 0, host = '127.0.0.1' } = options;
	const state = createEmulatorState(options);
	const controls = createControls(state);
	const { server, close } = createEmulatorServer(state, controls);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const [defaultApp] = state.apps;
	const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	let closed = /** @type {Promise<void> | null} */ (null);

	return {
		baseUrl: `http://${hostInUrl}:${address.port}`,
		appId: defaultApp.appId,
		appSecret: defaultApp.appSecret,
		/** Every Official Account it emulates, the default one first. */
		apps: state.apps.map(({ appId, appSecret }) => ({ appId, appSecret })),
		counters: state.counters,
		uploads: state.uploads,
		...controls,
		/** Closes the server and every open connection; safe to call more than once. */
		close() {
			closed ??= close();
			return closed;
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof startWeChatEmulator>>} WeChatEmulator */

module.exports = { startWeChatEmulator };
