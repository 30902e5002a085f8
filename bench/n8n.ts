import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, N8N_VERSIONS } from '../test/e2e/sandbox/install';
import { N8nInstance } from '../test/e2e/sandbox/n8n';
import { buildAndPack } from '../test/e2e/sandbox/pack';
import type { ExecutionRun } from '../test/e2e/sandbox/runData';
import { uploadFilesWorkflow, type WorkflowJson } from '../test/e2e/sandbox/workflows';
import { jpegBytes } from '../test/fixtures/images';
import { emulatorCredentialData } from '../test/fixtures/credential';
import { watchPeakRss } from './peakRss';

export interface N8nMeasurement {
	/** The upload step's own time as n8n records it (for the pipeline: token request + upload). */
	uploadMs: number;
	peakRssMb: number;
}

const CREDENTIAL_ID = 'benchCredential1';
const ACCOUNT = 'agent1@sandbox_oa';

/**
 * What users build today without this package: HTTP Request for the token, Read Files, HTTP Request with a
 * multipart body. It reports success whatever errcode WeChat answers.
 */
function httpRequestPipeline(id: string, baseUrl: string, appId: string, appSecret: string, glob: string): WorkflowJson {
	const http = (name: string, x: number, parameters: Record<string, unknown>) => ({
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [x, 0] as [number, number],
		parameters: { ...parameters, options: {} },
	});
	return {
		id,
		name: `bench ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			http('Get token', 220, {
				method: 'POST',
				url: `${baseUrl}/cgi-bin/stable_token`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret }),
			}),
			{
				id: 'read-photos',
				name: 'Read photos',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fileSelector: glob, options: {} },
			},
			http('Upload avatar', 660, {
				method: 'POST',
				url: `${baseUrl}/customservice/kfaccount/uploadheadimg`,
				sendQuery: true,
				queryParameters: {
					parameters: [
						{ name: 'access_token', value: "={{ $('Get token').first().json.access_token }}" },
						{ name: 'kf_account', value: ACCOUNT },
					],
				},
				sendBody: true,
				contentType: 'multipart-form-data',
				bodyParameters: { parameters: [{ parameterType: 'formBinaryData', name: 'media', inputDataFieldName: 'data' }] },
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Get token', type: 'main', index: 0 }]] },
			'Get token': { main: [[{ node: 'Read photos', type: 'main', index: 0 }]] },
			'Read photos': { main: [[{ node: 'Upload avatar', type: 'main', index: 0 }]] },
		},
	};
}

function nodeTime(run: ExecutionRun, name: string): number {
	const task = run.data.resultData.runData[name]?.[0] as { executionTime?: number } | undefined;
	if (task?.executionTime === undefined) throw new Error(`no run of "${name}" in the execution`);
	return task.executionTime;
}

function uploadedAll(run: ExecutionRun, count: number): void {
	const items = run.data.resultData.runData['Upload avatar']?.[0]?.data?.main[0] ?? [];
	const ok = items.filter((item) => item.json.errcode === 0).length;
	if (ok !== count) throw new Error(`only ${ok} of ${count} uploads answered errcode 0: ${JSON.stringify(items[0]?.json)}`);
}

/** One real n8n 2.x (the e2e runtime) with this package installed, and photo folders of the sizes asked for. */
export async function openBenchN8n(emulator: { baseUrl: string; appId: string; appSecret: string }, say: (line: string) => void) {
	const installation = await ensureN8n(N8N_VERSIONS.current, say);
	const root = mkdtempSync(join(tmpdir(), 'wechat-kf-bench-n8n-'));
	const { tarball } = await buildAndPack(root);
	const n8n = await N8nInstance.create({ installation, tarball, root });
	await n8n.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: 'WeChat Official Account',
			type: 'wechatOfficialAccountApi',
			data: emulatorCredentialData(emulator),
		},
	]);
	let workflows = 0;

	const photos = (count: number, size: number): string => {
		const folder = join(n8n.filesFolder, `${count}x${size}`);
		mkdirSync(folder, { recursive: true });
		const bytes = jpegBytes(size);
		for (let index = 0; index < count; index++) writeFileSync(join(folder, `photo-${String(index).padStart(4, '0')}.jpg`), bytes);
		return join(folder, '*.jpg');
	};

	const execute = async (workflow: WorkflowJson) => {
		await n8n.importWorkflows([workflow]);
		const memory = watchPeakRss();
		// `n8n execute`, not a running n8n: one process per run, so its peak memory belongs to this run alone.
		const { code, run: execution, output } = await n8n.execute(workflow.id, { onStart: memory.onStart });
		if (execution.status !== 'success') throw new Error(`benchmark workflow ${workflow.id} failed:\n${output.slice(-3000)}`);
		if (code !== 0) {
			// The run was over and printed: what crashed is the command's exit (README, "The n8n runtime").
			say(`n8n execute ended with ${code} after workflow ${workflow.id} had succeeded; its figures stand`);
		}
		return { execution, peakRssMb: memory.peakMb() };
	};

	const run = async (workflow: WorkflowJson, stepNames: string[], count: number): Promise<N8nMeasurement> => {
		const { execution, peakRssMb } = await execute(workflow);
		uploadedAll(execution, count);
		return { uploadMs: stepNames.reduce((sum, name) => sum + nodeTime(execution, name), 0), peakRssMb };
	};

	return {
		version: installation.version,
		photos,
		/** This package's node uploading every file the glob matches. */
		node: (glob: string, count: number, concurrency: number) => {
			const workflow = uploadFilesWorkflow({
				id: `benchNode${String(++workflows).padStart(7, '0')}`,
				nodeType: n8n.nodeType,
				glob,
				credentialId: CREDENTIAL_ID,
				nodeOptions: { concurrency },
			});
			// Every file to the one sandbox account: the benchmark measures uploads, not account names.
			(workflow.nodes.find((node) => node.name === 'Upload avatar')!.parameters as Record<string, unknown>).kfAccount = ACCOUNT;
			return run(workflow, ['Upload avatar'], count);
		},
		/** Peak RSS of n8n reading the files and doing nothing else: what the upload steps' growth is measured from. */
		readOnlyPeakRssMb: async (glob: string): Promise<number> => {
			const workflow = uploadFilesWorkflow({ id: `benchRead${String(++workflows).padStart(7, '0')}`, nodeType: n8n.nodeType, glob, credentialId: CREDENTIAL_ID });
			workflow.nodes = workflow.nodes.filter((node) => node.name !== 'Upload avatar');
			workflow.connections = { Start: workflow.connections.Start };
			return (await execute(workflow)).peakRssMb;
		},
		/** The HTTP Request pipeline on the same files. */
		httpRequest: (glob: string, count: number) =>
			run(
				httpRequestPipeline(`benchHttp${String(++workflows).padStart(7, '0')}`, emulator.baseUrl, emulator.appId, emulator.appSecret, glob),
				['Get token', 'Upload avatar'],
				count,
			),
		close: () => n8n.dispose(),
	};
}
