import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { wechatApiRequest } from '../../transport';
import { checkNickname } from '../../validation';
import type { ItemOutcome, OperationContext } from '../types';
import { kfAccountField, nicknameField, readKfAccount } from './shared';

export const description: INodeProperties[] = [
	kfAccountField('create', 'The new account, prefix@OfficialAccountWeChatID; the prefix is 1–10 letters, digits or underscores'),
	nicknameField('create', 'The name customers see, at most 16 characters'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ session, retryPolicy, onRetry }: OperationContext,
): Promise<ItemOutcome> {
	const account = readKfAccount(this, itemIndex);
	if ('failure' in account) return account;
	const nickname = this.getNodeParameter('nickname', itemIndex);
	const nicknameFailure = checkNickname(nickname);
	if (nicknameFailure) return { failure: nicknameFailure, subject: account.subject };

	const answer = await wechatApiRequest(
		session,
		{
			method: 'POST',
			path: '/customservice/kfaccount/add',
			body: { kf_account: account.kfAccount, nickname: String(nickname).trim() },
			expectErrcode: true,
		},
		retryPolicy,
		onRetry,
	);
	if (!answer.ok) return { failure: answer.failure, subject: account.subject };
	return { json: { errcode: 0, errmsg: 'ok', kfAccount: account.kfAccount, nickname: String(nickname).trim() } };
}
