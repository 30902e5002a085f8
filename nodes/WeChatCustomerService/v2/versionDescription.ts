import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as account from '../actions/account/Account.resource';
import * as authentication from '../actions/authentication';
import * as avatar from '../actions/avatar/Avatar.resource';
import * as options from '../actions/options';

/** No stored credential: the token comes from the workflow (see actions/authentication.ts for why 'none'). */
export const WORKFLOW_TOKEN_MODE = 'none';

const showFor = (resource: string, operation: string) => ({ show: { resource: [resource], operation: [operation] } });

const accountOperations: INodePropertyOptions[] = [...account.operationOptions, account.ensureOption].sort((a, b) => a.name.localeCompare(b.name));

/** Avatar first, as the reason to install the node; the account lifecycle beside it. */
export const properties: INodeProperties[] = [
	...authentication.properties(WORKFLOW_TOKEN_MODE),
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Avatar', value: 'avatar' },
			{ name: 'Customer Service Account', value: 'account' },
		],
		default: 'avatar',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['avatar'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				description: "Set a customer-service account's avatar from an image in the item's binary data",
				action: 'Upload a customer service account avatar',
			},
		],
		default: 'upload',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: accountOperations,
		default: 'getAll',
	},
	...avatar.upload.properties(showFor('avatar', 'upload')),
	...account.create.properties(showFor('account', 'create')),
	...account.delete.properties(showFor('account', 'delete')),
	...account.ensure.properties(showFor('account', 'ensure')),
	...account.getAll.properties(showFor('account', 'getAll')),
	...account.inviteWorker.properties(showFor('account', 'inviteWorker')),
	...account.update.properties(showFor('account', 'update')),
	options.description,
];
