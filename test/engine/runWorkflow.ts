import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IVersionedNodeType,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowBase,
} from 'n8n-workflow';

import { WeChatOfficialAccountApi } from '../../credentials/WeChatOfficialAccountApi.credentials';
import { WechatCustomerService } from '../../nodes/WeChatCustomerService/WechatCustomerService.node';
import { CredentialStore } from './credentialStore';

export const NODE_NAME = 'WeChat Customer Service';
export const CREDENTIAL_ID = 'wechat-credential-1';
export const LATEST_VERSION = 2;

export interface InputItem {
	json?: IDataObject;
	/** Binary properties by name: bytes the input node stores through n8n's binary data service. */
	binary?: Record<string, { bytes: Buffer; fileName?: string; mimeType?: string }>;
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	items: InputItem[];
	parameters: IDataObject;
	store: CredentialStore;
	credentialId?: string;
	onError?: OnError;
	/** The node version the workflow was saved with; the latest when not given. */
	typeVersion?: number;
}

export interface RunResult {
	run: IRun;
	/** Items on the node's first output ("Success" when the error output is on). */
	success: INodeExecutionData[];
	/** Items on n8n's error output (only with continueErrorOutput). */
	errorOutput: INodeExecutionData[];
	/** The node's error when the run stopped. */
	error?: { message: string; description?: string | null; [key: string]: unknown };
}

/** An input node for tests: emits the given items, storing their binaries the way any n8n node does. */
function inputNodeType(items: InputItem[]): INodeType {
	return {
		description: {
			displayName: 'Test Input',
			name: 'testInput',
			group: ['input'],
			version: 1,
			description: 'Emits test items',
			defaults: { name: 'Test Input' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const output: INodeExecutionData[] = [];
			for (const item of items) {
				const binary: INodeExecutionData['binary'] = {};
				for (const [name, file] of Object.entries(item.binary ?? {})) {
					binary[name] = await this.helpers.prepareBinaryData(file.bytes, file.fileName, file.mimeType);
				}
				output.push({ json: item.json ?? {}, ...(item.binary ? { binary } : {}) });
			}
			return [output];
		},
	} as INodeType;
}

export function newCredentialStore(): CredentialStore {
	return new CredentialStore(new WeChatOfficialAccountApi());
}

/** Runs Test Input → WeChat Customer Service in n8n-core's real WorkflowExecute. */
export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const credentialId = options.credentialId ?? CREDENTIAL_ID;
	const nodeTypes: Record<string, INodeType | IVersionedNodeType> = {
		'test.input': inputNodeType(options.items),
		'test.wechatCustomerService': new WechatCustomerService(),
	};
	const nodeTypeRegistry = {
		getByName: (name: string) => nodeTypes[name],
		getByNameAndVersion: (name: string, version?: number) =>
			NodeHelpers.getVersionedNodeType(nodeTypes[name], version),
		getKnownTypes: () => ({}),
	};
	const nodes: INode[] = [
		{ id: 'input', name: 'Test Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'wechat',
			name: NODE_NAME,
			type: 'test.wechatCustomerService',
			typeVersion: options.typeVersion ?? LATEST_VERSION,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: { wechatOfficialAccountApi: { id: credentialId, name: 'WeChat test credential' } },
			...(options.onError && options.onError !== 'stopWorkflow' ? { onError: options.onError } : {}),
		},
	];
	const connections: IConnections = {
		'Test Input': { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'wechat-test-workflow',
		nodes,
		connections,
		active: false,
		nodeTypes: nodeTypeRegistry as never,
		settings: { executionOrder: 'v1' },
	});
	const executionId = `test-${Math.random().toString(36).slice(2)}`;
	const workflowData = { id: workflow.id, name: 'test', nodes, connections, active: false, settings: {} } as unknown as IWorkflowBase;
	const additionalData = {
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
		credentialsHelper: options.store.helper(),
		executionId,
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		variables: {},
		currentNodeExecutionIndex: 0,
	} as unknown as IWorkflowExecuteAdditionalData;

	const run = await new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: workflow.getNode('Test Input') ?? undefined,
	});
	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	const outputs = task?.data?.main ?? [];
	const errorOutputIndex = options.onError === 'continueErrorOutput' ? 1 : -1;
	return {
		run,
		success: outputs[0] ?? [],
		errorOutput: errorOutputIndex > 0 ? (outputs[errorOutputIndex] ?? []) : [],
		error: (task?.error ?? run.data.resultData.error) as RunResult['error'],
	};
}

/** Runs `work` inside a node of a real engine run, with that node's real helpers (httpRequest and the rest). */
export async function runInEngine<T>(work: (context: IExecuteFunctions) => Promise<T>): Promise<T> {
	let outcome: { value?: T; error?: unknown } = {};
	const probe: INodeType = {
		description: { ...inputNodeType([]).description, name: 'testProbe', displayName: 'Test Probe' },
		async execute(this: IExecuteFunctions) {
			try {
				outcome = { value: await work(this) };
			} catch (error) {
				outcome = { error };
			}
			return [[{ json: {} }]];
		},
	};
	const nodes: INode[] = [{ id: 'probe', name: 'Probe', type: 'test.probe', typeVersion: 1, position: [0, 0], parameters: {} }];
	const workflow = new Workflow({
		id: 'wechat-probe-workflow',
		nodes,
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => probe,
			getByNameAndVersion: () => probe,
			getKnownTypes: () => ({}),
		} as never,
		settings: { executionOrder: 'v1' },
	});
	const executionId = `probe-${Math.random().toString(36).slice(2)}`;
	const workflowData = { id: workflow.id, name: 'probe', nodes, connections: {}, active: false, settings: {} } as unknown as IWorkflowBase;
	await new WorkflowExecute(
		{
			hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
			executionId,
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData,
		'manual',
	).run({ workflow, startNode: workflow.getNode('Probe') ?? undefined });
	if ('error' in outcome) throw outcome.error;
	return outcome.value as T;
}
