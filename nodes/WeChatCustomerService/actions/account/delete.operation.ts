import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { wechatApiRequest } from '../../transport';
import type { ItemOutcome, OperationContext } from '../types';
import { alreadyDoneFields, kfAccountField, readKfAccount } from './shared';

export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	kfAccountField(displayOptions, 'The account to delete, prefix@OfficialAccountWeChatID'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ session, retryPolicy, onRetry }: OperationContext,
): Promise<ItemOutcome> {
	const account = readKfAccount(this, itemIndex);
	if ('failure' in account) return account;

	const answer = await wechatApiRequest(
		session,
		{
			method: 'GET',
			path: '/customservice/kfaccount/del',
			qs: { kf_account: account.kfAccount },
			expectErrcode: true,
			alreadyDoneErrcode: 65401,
		},
		retryPolicy,
		onRetry,
	);
	if (!answer.ok) return { failure: answer.failure, subject: account.subject };
	return { json: { errcode: 0, errmsg: 'ok', kfAccount: account.kfAccount, deleted: true, ...alreadyDoneFields(answer) } };
}
