import { NodeConnectionTypes, type Icon, type INodeTypeDescription } from 'n8n-workflow';

import { CREDENTIAL_MODE } from './actions/authentication';

/**
 * n8n resolves a versioned node's icons from the folder of its entry file (WechatCustomerService.node.ts), whatever
 * file declares them; the community lint would resolve this path from each version's folder instead.
 */
export const NODE_ICON: Icon = { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' };

/**
 * What every version of the node shares. Names, icon, subtitle and usableAsTool are written in each version's own
 * description, where n8n's community lint looks for them.
 */
export const sharedDescription = {
	documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-wechat-customer-service#node-wechat-customer-service',
	description: 'Upload the avatars of WeChat Official Account customer-service (kf) accounts and manage the accounts',
	defaults: { name: 'WeChat Customer Service' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [
		{
			name: 'wechatOfficialAccountApi',
			required: true,
			displayOptions: { show: { authentication: [CREDENTIAL_MODE] } },
		},
	],
} satisfies Partial<INodeTypeDescription>;
