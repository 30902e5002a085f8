#!/usr/bin/env node
'use strict';

// Runs the emulator for other processes:
//   node test/emulator/cli.js [--port N] [--host H] [--accounts a@b,c@d] [--app-id ID] [--app-secret SECRET]
//                             [--official-account-id WECHAT_ID] [--max-accounts N]
//                             [--token-lifetime SECONDS] [--reject-png] [--latency '{"upload":{"ms":80,"jitterMs":30}}']
// prints one JSON line {"baseUrl","appId","appSecret"} once it listens, and closes on SIGTERM or SIGINT.

const { startWeChatEmulator } = require('./index');

/**
 * @param {string[]} args
 * @returns {import('./state').EmulatorOptions}
 */
function parseArguments(args) {
	/** @type {import('./state').EmulatorOptions} */
	const options = {};
	for (let index = 0; index < args.length; index += 1) {
		const flag = args[index];
		if (flag === '--reject-png') {
			options.rejectPng = true;
			continue;
		}
		const value = args[index + 1];
		if (value === undefined) throw new Error(`${flag} needs a value`);
		index += 1;
		switch (flag) {
			case '--port':
				options.port = Number(value);
				break;
			case '--host':
				options.host = value;
				break;
			case '--accounts':
				options.accounts = value.split(',').filter(Boolean);
				break;
			case '--app-id':
				options.appId = value;
				break;
			case '--app-secret':
				options.appSecret = value;
				break;
			case '--official-account-id':
				options.officialAccountId = value;
				break;
			case '--max-accounts':
				options.maxAccounts = Number(value);
				break;
			case '--token-lifetime':
				options.tokenLifetimeSeconds = Number(value);
				break;
			case '--latency':
				options.latency = JSON.parse(value);
				break;
			default:
				throw new Error(`unknown option ${flag}`);
		}
	}
	return options;
}

async function main() {
	const emulator = await startWeChatEmulator(parseArguments(process.argv.slice(2)));
	process.stdout.write(
		`${JSON.stringify({ baseUrl: emulator.baseUrl, appId: emulator.appId, appSecret: emulator.appSecret })}\n`,
	);
	const shutDown = () => {
		emulator.close().then(() => process.exit(0));
	};
	process.once('SIGTERM', shutDown);
	process.once('SIGINT', shutDown);
}

main().catch((error) => {
	process.stderr.write(`wechat emulator: ${error instanceof Error ? error.message : error}\n`);
	process.exit(1);
});
