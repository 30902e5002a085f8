import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as account from '../actions/account/Account.resource';
import * as avatar from '../actions/avatar/Avatar.resource';
import { router, type VersionRouting } from '../actions/router';
import { NODE_ICON, sharedDescription } from '../nodeDescription';
import { properties, WORKFLOW_TOKEN_MODE } from './versionDescription';

const routing: VersionRouting = {
	operations: {
		avatar: { upload: avatar.upload.execute },
		account: {
			create: account.create.execute,
			delete: account.delete.execute,
			ensure: account.ensure.execute,
			getAll: account.getAll.execute,
			inviteWorker: account.inviteWorker.execute,
			update: account.update.execute,
		},
	},
	workflowTokenMode: WORKFLOW_TOKEN_MODE,
};

export class WechatCustomerServiceV2 implements INodeType {
	description: INodeTypeDescription = {
		...sharedDescription,
		displayName: 'WeChat Customer Service',
		name: 'wechatCustomerService',
		icon: NODE_ICON,
		group: ['output'],
		version: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		usableAsTool: true,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, routing);
	}
}
