import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as account from '../actions/account/Account.resource';
import * as authentication from '../actions/authentication';
import * as avatar from '../actions/avatar/Avatar.resource';
import * as options from '../actions/options';

/** v1's value for the workflow-token mode; n8n's editor cannot offer it (see actions/authentication.ts). */
export const WORKFLOW_TOKEN_MODE = 'givenAccessToken';

const showFor = (operation: string) => ({ show: { resource: ['account'], operation: [operation] } });

const operationOptions: INodePropertyOptions[] = [
	...account.operationOptions,
	{
		name: 'Upload Avatar',
		value: 'uploadAvatar',
		description: "Set a customer-service account's avatar from an image in the item's binary data",
		action: 'Upload a customer service account avatar',
	},
];

/** v1 as saved in workflows before v2: one resource, Upload Avatar among the lifecycle operations. */
export const properties: INodeProperties[] = [
	...authentication.properties(WORKFLOW_TOKEN_MODE),
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Customer Service Account', value: 'account' }],
		default: 'account',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: operationOptions,
		default: 'uploadAvatar',
	},
	...account.create.properties(showFor('create')),
	...account.delete.properties(showFor('delete')),
	...account.getAll.properties(showFor('getAll')),
	...account.inviteWorker.properties(showFor('inviteWorker')),
	...account.update.properties(showFor('update')),
	...avatar.upload.properties(showFor('uploadAvatar')),
	options.description,
];
