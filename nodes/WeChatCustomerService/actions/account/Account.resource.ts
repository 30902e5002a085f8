import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteAccount from './delete.operation';
import * as getAll from './getAll.operation';
import * as inviteWorker from './inviteWorker.operation';
import * as update from './update.operation';
import * as uploadAvatar from './uploadAvatar.operation';

export { create, deleteAccount as delete, getAll, inviteWorker, update, uploadAvatar };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add a customer-service account',
				action: 'Create a customer service account',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a customer-service account',
				action: 'Delete a customer service account',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the customer-service accounts, optionally with their online status',
				action: 'Get many customer service accounts',
			},
			{
				name: 'Invite Worker',
				value: 'inviteWorker',
				description: "Invite an agent's WeChat to operate a customer-service account",
				action: 'Invite a worker to a customer service account',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change a customer-service account's nickname",
				action: 'Update a customer service account',
			},
			{
				name: 'Upload Avatar',
				value: 'uploadAvatar',
				description: "Set a customer-service account's avatar from an image in the item's binary data",
				action: 'Upload a customer service account avatar',
			},
		],
		default: 'uploadAvatar',
	},
	...create.description,
	...deleteAccount.description,
	...getAll.description,
	...inviteWorker.description,
	...update.description,
	...uploadAvatar.description,
];
