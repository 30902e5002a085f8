import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { ensureN8n, N8N_VERSIONS } from './install';
import { N8nInstance } from './n8n';
import { buildAndPack } from './pack';
import { onShutdown } from './processes';
import { sandboxCredential, startWeChatEmulator, type Emulator } from './sandbox';

/** The kf accounts the sandbox WeChat knows; anything else gets errcode 65401, as on the real WeChat. */
export const SANDBOX_ACCOUNTS = ['agent1@sandbox_oa', 'agent2@sandbox_oa', 'agent3@sandbox_oa'];

export interface SandboxSession {
	n8n: N8nInstance;
	emulator: Emulator;
	/** Stops the emulator and deletes the n8n user folder; safe to call twice. */
	close(): Promise<void>;
}

/** The n8n version `npm run demo` / `npm run dev` use: `--n8n <version>` on the command line, else the current one. */
export function versionFromArguments(args: string[]): string {
	const index = args.indexOf('--n8n');
	return index === -1 ? N8N_VERSIONS.current : args[index + 1];
}

/**
 * What the demo and the dev server share: n8n installed (the first time, with progress), this package built,
 * packed and installed into a fresh n8n user folder, the emulator on loopback as a sandbox WeChat, and the
 * sandbox credential imported. Ctrl-C at any point stops what was started.
 */
export async function openSandbox(version: string, say: (line: string) => void): Promise<SandboxSession> {
	const installation = await ensureN8n(version, say);
	say(`n8n ${version} from ${installation.folder}`);

	const packFolder = mkdtempSync(join(tmpdir(), 'wechat-kf-pack-'));
	let n8n: N8nInstance;
	try {
		say('Building and packing the package (npm run build, npm pack)...');
		const { tarball } = await buildAndPack(packFolder);
		n8n = await N8nInstance.create({ installation, tarball });
		say(`Installed ${basename(tarball)} into a fresh n8n user folder: ${n8n.userFolder}/.n8n/nodes`);
	} finally {
		rmSync(packFolder, { recursive: true, force: true });
	}

	const emulator = await startWeChatEmulator({ accounts: SANDBOX_ACCOUNTS });
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		await emulator.close();
		n8n.dispose();
	};
	onShutdown(close);
	say(`Sandbox WeChat (the emulator) on ${emulator.baseUrl}, kf accounts ${SANDBOX_ACCOUNTS.join(', ')}`);

	await n8n.importCredentials([sandboxCredential(emulator)]);
	say('Imported the credential "WeChat Official Account" pointing at the sandbox (AppID and AppSecret of the emulator; not shown)');
	return { n8n, emulator, close };
}
