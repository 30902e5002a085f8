import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkInviteWx } from '../../validation';
import type { ItemOutcome, OperationContext } from '../types';
import { changeAccount, kfAccountField } from './shared';

export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	kfAccountField(displayOptions, 'The account the agent will operate, prefix@OfficialAccountWeChatID'),
	{
		displayName: 'WeChat ID',
		name: 'inviteWx',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ada_lovelace',
		description:
			"The agent's WeChat ID. WeChat sends the agent an invitation to accept within 7 days; the account is bound once they accept.",
		displayOptions,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<ItemOutcome> {
	return await changeAccount(this, itemIndex, context, {
		path: '/customservice/kfaccount/inviteworker',
		alreadyDoneErrcode: 65408,
		parameter: 'inviteWx',
		wireName: 'invite_wx',
		check: checkInviteWx,
	});
}
