import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPOSITORY_ROOT } from './install';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	executeOnce?: boolean;
	webhookId?: string;
}

type Connection = { node: string; type: 'main' | 'ai_tool'; index: number };

export interface WorkflowJson {
	/** n8n 1.x takes workflow ids of at most 16 characters. */
	id: string;
	name: string;
	active: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, { main?: Connection[][]; ai_tool?: Connection[][] }>;
	settings: Record<string, unknown>;
}

/** A workflow the tests start by hand (N8nInstance.runManually): a Manual Trigger named Start, then `nodes`. */
function manualWorkflow(id: string, nodes: WorkflowNode[], connections: WorkflowJson['connections']): WorkflowJson {
	const start: WorkflowNode = { id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	return { id, name: `e2e ${id}`, active: false, nodes: [start, ...nodes], connections, settings: { executionOrder: 'v1' } };
}

/** The node type of this package's node as n8n names it when installed as a community package. */
export const COMMUNITY_NODE_TYPE = 'n8n-nodes-wechat-customer-service.wechatCustomerService';

/** The credential every example refers to; the sandbox imports one with this id, pointing at the emulator. */
export const EXAMPLE_CREDENTIAL = { id: 'wechatOfficial01', name: 'WeChat Official Account' };

export const EXAMPLES = {
	avatarFromImageUrl: 'avatar-from-image-url.json',
	onboardingWebhook: 'onboarding-webhook.json',
	brandingRefresh: 'branding-refresh.json',
} as const;

export function loadExample(fileName: string): WorkflowJson {
	return JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'examples', fileName), 'utf8')) as WorkflowJson;
}

export function nodeNamed(workflow: WorkflowJson, name: string): WorkflowNode {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`workflow "${workflow.name}" has no node "${name}"`);
	return node;
}

/**
 * A copy of the workflow for one n8n instance: this package's node under the type name the instance loads it as
 * (`CUSTOM.…` through N8N_CUSTOM_EXTENSIONS) and `edit` applied (what a user types into the example's fields).
 */
export function adaptWorkflow(
	workflow: WorkflowJson,
	nodeType: string,
	edit: (copy: WorkflowJson) => void = () => {},
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	for (const node of copy.nodes) if (node.type === COMMUNITY_NODE_TYPE) node.type = nodeType;
	edit(copy);
	return copy;
}

/** Sets the value of a Set node's field (an `assignments` entry) by its name. */
export function setAssignment(workflow: WorkflowJson, nodeName: string, field: string, value: unknown): void {
	const { assignments } = nodeNamed(workflow, nodeName).parameters.assignments as {
		assignments: Array<{ name: string; value: unknown }>;
	};
	const assignment = assignments.find((candidate) => candidate.name === field);
	if (!assignment) throw new Error(`node "${nodeName}" sets no field "${field}"`);
	assignment.value = value;
}

/**
 * A workflow made for the tests: Manual Trigger → Read/Write Files from Disk (every file `glob` matches, one item
 * each, the image in binary `data`) → this package's node uploading each file to `<file name>@sandbox_oa`; with
 * `continueErrorOutput`, its outputs go to "Avatar set" and "Upload failed".
 */
export function uploadFilesWorkflow(options: {
	id: string;
	nodeType: string;
	glob: string;
	credentialId: string;
	onError?: WorkflowNode['onError'];
	nodeOptions?: Record<string, unknown>;
	/** 1: as saved before v2 (Upload Avatar among the account operations). */
	typeVersion?: 1 | 2;
}): WorkflowJson {
	const typeVersion = options.typeVersion ?? 2;
	const upload: WorkflowNode = {
		id: 'upload-avatar',
		name: 'Upload avatar',
		type: options.nodeType,
		typeVersion,
		position: [440, 0],
		parameters: {
			...(typeVersion === 1 ? { resource: 'account', operation: 'uploadAvatar' } : { resource: 'avatar', operation: 'upload' }),
			kfAccount: "={{ $json.fileName.split('.')[0] }}@sandbox_oa",
			binaryPropertyName: 'data',
			options: options.nodeOptions ?? {},
		},
		credentials: { wechatOfficialAccountApi: { id: options.credentialId, name: EXAMPLE_CREDENTIAL.name } },
		...(options.onError ? { onError: options.onError } : {}),
	};
	const nodes: WorkflowNode[] = [
		{
			id: 'read-photos',
			name: 'Read photos',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fileSelector: options.glob, options: {} },
		},
		upload,
	];
	const connections: WorkflowJson['connections'] = {
		Start: { main: [[{ node: 'Read photos', type: 'main', index: 0 }]] },
		'Read photos': { main: [[{ node: 'Upload avatar', type: 'main', index: 0 }]] },
	};
	if (options.onError === 'continueErrorOutput') {
		for (const [index, name] of ['Avatar set', 'Upload failed'].entries()) {
			nodes.push({ id: `sink-${index}`, name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, index * 200], parameters: {} });
		}
		connections['Upload avatar'] = {
			main: [[{ node: 'Avatar set', type: 'main', index: 0 }], [{ node: 'Upload failed', type: 'main', index: 0 }]],
		};
	}
	return manualWorkflow(options.id, nodes, connections);
}

/**
 * A workflow made for the tests, the rest of an account's life: Create `kfAccount` → Rename it (Update) → a
 * token service (HTTP Request for a stable token, standing in for a platform's authorizer_access_token) → List
 * accounts with that token given by the workflow (Get Many, online status included) → Retire (Delete, once).
 */
export function accountLifecycleWorkflow(options: {
	id: string;
	nodeType: string;
	credentialId: string;
	kfAccount: string;
	nicknames: { created: string; renamed: string };
	tokenService: { baseUrl: string; appId: string; appSecret: string };
}): WorkflowJson {
	const credentials = { wechatOfficialAccountApi: { id: options.credentialId, name: EXAMPLE_CREDENTIAL.name } };
	const wechat = (name: string, x: number, parameters: Record<string, unknown>, settings: Partial<WorkflowNode> = {}): WorkflowNode => ({
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type: options.nodeType,
		typeVersion: 2,
		position: [x, 0],
		parameters: { resource: 'account', ...parameters, options: {} },
		...settings,
	});
	const nodes: WorkflowNode[] = [
		wechat('Create', 220, { operation: 'create', kfAccount: options.kfAccount, nickname: options.nicknames.created }, { credentials }),
		wechat('Rename', 440, { operation: 'update', kfAccount: '={{ $json.kfAccount }}', nickname: options.nicknames.renamed }, { credentials }),
		{
			id: 'token-service',
			name: 'Token service',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [660, 0],
			parameters: {
				method: 'POST',
				url: `${options.tokenService.baseUrl}/cgi-bin/stable_token`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: JSON.stringify({ grant_type: 'client_credential', appid: options.tokenService.appId, secret: options.tokenService.appSecret }),
				options: {},
			},
		},
		wechat('List accounts', 880, {
			authentication: 'none',
			accessToken: '={{ $json.access_token }}',
			baseUrl: options.tokenService.baseUrl,
			operation: 'getAll',
			returnAll: true,
			includeOnlineStatus: true,
		}),
		// Get Many gives one item per account; the account is retired once, not once per account listed.
		wechat('Retire', 1100, { operation: 'delete', kfAccount: "={{ $('Rename').first().json.kfAccount }}" }, { credentials, executeOnce: true }),
	];
	const chain = ['Start', ...nodes.map((node) => node.name)];
	const connections: WorkflowJson['connections'] = Object.fromEntries(
		chain.slice(0, -1).map((name, index) => [name, { main: [[{ node: chain[index + 1], type: 'main' as const, index: 0 }]] }]),
	);
	return manualWorkflow(options.id, nodes, connections);
}

/** Manual Trigger → HTTP Request calling `url` with this package's credential as a Predefined Credential Type. */
export function httpRequestWithCredentialWorkflow(options: { id: string; url: string; credentialId: string }): WorkflowJson {
	return manualWorkflow(
		options.id,
		[
			{
				id: 'call-wechat',
				name: 'Call WeChat',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'GET',
					url: options.url,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'wechatOfficialAccountApi',
					options: {},
				},
				credentials: { wechatOfficialAccountApi: { id: options.credentialId, name: EXAMPLE_CREDENTIAL.name } },
			},
		],
		{ Start: { main: [[{ node: 'Call WeChat', type: 'main', index: 0 }]] } },
	);
}

/**
 * The node as an AI agent's tool, run the way n8n's editor runs a tool on its own: n8n's Tool Executor node stands
 * in for the agent and hands the tool the arguments an agent would (`$fromAI`): Start → Run the tool ← (ai_tool)
 * Set agent avatar, which uploads the photo at `photoUrl` as the avatar of `account`.
 */
export function agentToolWorkflow(options: {
	id: string;
	nodeType: string;
	credentialId: string;
	agentArguments: { account: string; photoUrl: string };
	/** n8n 2.x's Tool Executor takes the arguments under the tool's name; 1.x's takes them as they are. */
	argumentsByToolName: boolean;
}): WorkflowJson {
	const tool = 'Set agent avatar';
	const query = options.argumentsByToolName ? { [tool.replace(/ /g, '_')]: options.agentArguments } : options.agentArguments;
	return manualWorkflow(
		options.id,
		[
			{
				id: 'tool-executor',
				name: 'Run the tool',
				type: '@n8n/n8n-nodes-langchain.toolExecutor',
				typeVersion: 1,
				position: [220, 0],
				parameters: { query: JSON.stringify(query), toolName: '', node: tool },
			},
			{
				id: 'agent-tool',
				name: tool,
				type: `${options.nodeType}Tool`,
				typeVersion: 2,
				position: [220, 200],
				parameters: {
					resource: 'avatar',
					operation: 'upload',
					kfAccount: "={{ $fromAI('account', 'The customer service account, prefix@OfficialAccountWeChatID', 'string') }}",
					imageSource: 'url',
					imageUrl: "={{ $fromAI('photoUrl', 'A link to the photo to use as the avatar', 'string') }}",
					options: {},
				},
				credentials: { wechatOfficialAccountApi: { id: options.credentialId, name: EXAMPLE_CREDENTIAL.name } },
			},
		],
		{
			Start: { main: [[{ node: 'Run the tool', type: 'main', index: 0 }]] },
			[tool]: { ai_tool: [[{ node: 'Run the tool', type: 'ai_tool', index: 0 }]] },
		},
	);
}
