/**
 * `npm run dev`: n8n's editor on http://localhost:5678 with this package, the sandbox credential and the three
 * examples loaded, the emulator as the sandbox WeChat; Ctrl-C stops everything and deletes the user folder.
 * `npm run dev -- --n8n 1.123.81` for n8n 1.x, `-- --port 5680` for another port.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';

import { jpegBytes } from '../fixtures/images';
import { onShutdown } from './sandbox/processes';
import { SANDBOX_OWNER } from './sandbox/rest';
import { startImageServer, writeJpeg } from './sandbox/sandbox';
import { openSandbox, SANDBOX_ACCOUNTS, versionFromArguments } from './sandbox/session';
import { adaptWorkflow, EXAMPLES, loadExample, nodeNamed, setAssignment } from './sandbox/workflows';

const say = (line: string) => process.stdout.write(`${line}\n`);

function portFromArguments(args: string[]): number {
	const index = args.indexOf('--port');
	return index === -1 ? 5678 : Number(args[index + 1]);
}

function assertPortFree(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', () => reject(new Error(`port ${port} is taken (another n8n?): stop it, or run npm run dev -- --port <free port>`)));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
	});
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const port = portFromArguments(args);
	await assertPortFree(port);
	const { n8n, emulator } = await openSandbox(versionFromArguments(args), say);

	const images = await startImageServer(jpegBytes(32 * 1024));
	onShutdown(() => images.close());
	const brandingAvatar = join(n8n.filesFolder, 'branding', 'avatar.jpg');
	writeJpeg(brandingAvatar);
	const newAgentPhoto = join(n8n.filesFolder, 'new-agent.jpg');
	writeJpeg(newAgentPhoto, 16 * 1024);

	const examples = [
		adaptWorkflow(loadExample(EXAMPLES.avatarFromImageUrl), n8n.nodeType, (workflow) => {
			setAssignment(workflow, 'Agent and photo URL', 'account', SANDBOX_ACCOUNTS[0]);
			setAssignment(workflow, 'Agent and photo URL', 'photoUrl', images.url('agent1.jpg'));
		}),
		adaptWorkflow(loadExample(EXAMPLES.onboardingWebhook), n8n.nodeType),
		adaptWorkflow(loadExample(EXAMPLES.brandingRefresh), n8n.nodeType, (workflow) => {
			nodeNamed(workflow, 'Read new avatar').parameters.fileSelector = brandingAvatar;
		}),
	];
	await n8n.importWorkflows(examples);
	const onboarding = examples[1];
	await n8n.activate(onboarding.id);
	say(`Imported the three examples (set to the sandbox's accounts and files); "${onboarding.name}" is active.`);

	say(`Starting n8n's editor on port ${port}...`);
	let ready = false;
	const server = await n8n.startWithOwner({ port, onLine: (line) => ready && say(`[n8n] ${line}`) });
	onShutdown(() => server.stop());

	say(`
n8n ${n8n.version} is running: http://localhost:${port}
  Sign in as ${SANDBOX_OWNER.email} / ${SANDBOX_OWNER.password} (a throwaway owner of this sandbox n8n).
  Workflows: ${examples.map((workflow) => `"${workflow.name}"`).join(', ')}.
  Credential "WeChat Official Account" talks to the sandbox WeChat; its kf accounts are ${SANDBOX_ACCOUNTS.join(', ')}
  (any other account gets errcode 65401).
  Try the onboarding webhook (run it twice: the second time only the photo is set again):
    curl -F account=ada@sandbox_oa -F nickname=Ada -F wechatId=ada_lovelace -F photo=@${newAgentPhoto} http://localhost:${port}/webhook/wechat-kf-onboarding
  What the sandbox WeChat has seen: curl ${emulator.baseUrl}/__emulator/state
Ctrl-C stops n8n and the sandbox and deletes ${n8n.root}.
n8n's log follows.`);
	ready = true;

	const exit = await server.process.exited;
	say(`n8n exited (${exit}).`);
	process.kill(process.pid, 'SIGTERM');
}

main().catch((error: unknown) => {
	process.stderr.write(`dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.kill(process.pid, 'SIGTERM');
});
