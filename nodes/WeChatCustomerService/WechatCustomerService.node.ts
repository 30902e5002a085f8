import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import * as authentication from './actions/authentication';
import * as options from './actions/options';
import { router } from './actions/router';

export class WechatCustomerService implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeChat Customer Service',
		name: 'wechatCustomerService',
		icon: { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage the customer-service (kf) accounts of a WeChat Official Account',
		defaults: { name: 'WeChat Customer Service' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'wechatOfficialAccountApi',
				required: true,
				displayOptions: { show: { authentication: ['appCredential'] } },
			},
		],
		properties: [
			...authentication.description,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Customer Service Account', value: 'account' }],
				default: 'account',
			},
			...account.description,
			options.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
