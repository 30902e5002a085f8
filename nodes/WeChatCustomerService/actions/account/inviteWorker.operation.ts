import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { wechatApiRequest } from '../../transport';
import { checkInviteWx } from '../../validation';
import type { ItemOutcome, OperationContext } from '../types';
import { kfAccountField, readKfAccount, showFor } from './shared';

export const description: INodeProperties[] = [
	kfAccountField('inviteWorker', 'The account the agent will operate, prefix@OfficialAccountWeChatID'),
	{
		displayName: 'WeChat ID',
		name: 'inviteWx',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ada_lovelace',
		description:
			"The agent's WeChat ID. WeChat sends the agent an invitation to accept within 7 days; the account is bound once they accept.",
		displayOptions: showFor('inviteWorker'),
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ session, retryPolicy, onRetry }: OperationContext,
): Promise<ItemOutcome> {
	const account = readKfAccount(this, itemIndex);
	if ('failure' in account) return account;
	const inviteWx = this.getNodeParameter('inviteWx', itemIndex);
	const inviteFailure = checkInviteWx(inviteWx);
	if (inviteFailure) return { failure: inviteFailure, subject: account.subject };

	const answer = await wechatApiRequest(
		session,
		{
			method: 'POST',
			path: '/customservice/kfaccount/inviteworker',
			body: { kf_account: account.kfAccount, invite_wx: String(inviteWx).trim() },
			expectErrcode: true,
		},
		retryPolicy,
		onRetry,
	);
	if (!answer.ok) return { failure: answer.failure, subject: account.subject };
	return { json: { errcode: 0, errmsg: 'ok', kfAccount: account.kfAccount, inviteWx: String(inviteWx).trim() } };
}
