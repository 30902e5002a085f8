import { EXAMPLE_CREDENTIAL, type WorkflowJson } from '../e2e/sandbox/workflows';

/**
 * An active workflow: a Webhook (POST `path`, multipart: field `account`, file `photo`) → this package's node
 * setting the photo as the account's avatar. The webhook answers with the node's output (`responseMode: lastNode`);
 * the node's default On Error (Stop Workflow) turns any WeChat errcode into a failed execution.
 */
export function webhookUploadWorkflow(options: {
	id: string;
	path: string;
	nodeType: string;
	credential: { id: string; name?: string };
}): WorkflowJson {
	return {
		id: options.id,
		name: `queue ${options.id}`,
		active: true,
		nodes: [
			{
				id: 'photo-arrives',
				name: 'Photo arrives',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${options.id}-webhook`,
				parameters: { httpMethod: 'POST', path: options.path, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'upload-avatar',
				name: 'Upload avatar',
				type: options.nodeType,
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					resource: 'avatar',
					operation: 'upload',
					kfAccount: '={{ $json.body.account }}',
					binaryPropertyName: 'photo',
					options: {},
				},
				credentials: { wechatOfficialAccountApi: { id: options.credential.id, name: options.credential.name ?? EXAMPLE_CREDENTIAL.name } },
			},
		],
		connections: { 'Photo arrives': { main: [[{ node: 'Upload avatar', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}
