import type { INodeProperties } from 'n8n-workflow';

import * as uploadAvatar from './uploadAvatar.operation';

export { uploadAvatar };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Upload Avatar',
				value: 'uploadAvatar',
				description: "Set a customer-service account's avatar from an image in the item's binary data",
				action: 'Upload a customer service account avatar',
			},
		],
		default: 'uploadAvatar',
	},
	...uploadAvatar.description,
];
