import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeChatFailure } from '../../errors';
import { wechatApiRequest } from '../../transport';
import { checkKfAccount } from '../../validation';
import type { ItemOutcome, OperationContext } from '../types';

export function kfAccountField(displayOptions: IDisplayOptions, description: string): INodeProperties {
	return {
		displayName: 'Customer Service Account',
		name: 'kfAccount',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'agent1@my_official_account',
		description,
		displayOptions,
	};
}

export function nicknameField(displayOptions: IDisplayOptions, description: string): INodeProperties {
	return {
		displayName: 'Nickname',
		name: 'nickname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Ada',
		description,
		displayOptions,
	};
}

/** The item's account, trimmed and checked, or the failure that says how to fix it. */
export function readKfAccount(
	context: IExecuteFunctions,
	itemIndex: number,
): { kfAccount: string; subject: IDataObject } | { failure: WeChatFailure; subject: IDataObject } {
	const requested = context.getNodeParameter('kfAccount', itemIndex);
	const kfAccount = typeof requested === 'string' ? requested.trim() : requested;
	const subject = { kfAccount: typeof kfAccount === 'string' ? kfAccount : String(kfAccount) };
	const failure = checkKfAccount(kfAccount);
	return failure ? { failure, subject } : { kfAccount: subject.kfAccount, subject };
}

interface AccountChange {
	path: string;
	/** The errcode that says the change is already made, for a retry after a lost answer. */
	alreadyDoneErrcode?: number;
	/** The parameter sent beside kf_account, its name on the wire, and its local check. */
	parameter: string;
	wireName: string;
	check: (value: unknown) => WeChatFailure | undefined;
}

/** The shape Create, Update and Invite Worker share: kf_account and one more field, POSTed as JSON. */
export async function changeAccount(
	context: IExecuteFunctions,
	itemIndex: number,
	{ session, retryPolicy, onRetry }: OperationContext,
	change: AccountChange,
): Promise<ItemOutcome> {
	const account = readKfAccount(context, itemIndex);
	if ('failure' in account) return account;
	const requested = context.getNodeParameter(change.parameter, itemIndex);
	const failure = change.check(requested);
	if (failure) return { failure, subject: account.subject };
	const value = String(requested).trim();

	const answer = await wechatApiRequest(
		session,
		{
			method: 'POST',
			path: change.path,
			body: { kf_account: account.kfAccount, [change.wireName]: value },
			expectErrcode: true,
			alreadyDoneErrcode: change.alreadyDoneErrcode,
		},
		retryPolicy,
		onRetry,
	);
	if (!answer.ok) return { failure: answer.failure, subject: account.subject };
	return { json: { errcode: 0, errmsg: 'ok', kfAccount: account.kfAccount, [change.parameter]: value, ...alreadyDoneFields(answer) } };
}

/** Marks an output whose change an earlier attempt made (its answer was lost), with what WeChat said to the retry. */
export function alreadyDoneFields(answer: { alreadyDone?: boolean; body: IDataObject }): IDataObject {
	return answer.alreadyDone ? { alreadyDone: true, retryErrcode: answer.body.retryErrcode } : {};
}
