import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeChatFailure } from '../../errors';
import { checkKfAccount } from '../../validation';

export function showFor(operation: string): INodeProperties['displayOptions'] {
	return { show: { resource: ['account'], operation: [operation] } };
}

export function kfAccountField(operation: string, description: string): INodeProperties {
	return {
		displayName: 'Customer Service Account',
		name: 'kfAccount',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'agent1@my_official_account',
		description,
		displayOptions: showFor(operation),
	};
}

export function nicknameField(operation: string, description: string): INodeProperties {
	return {
		displayName: 'Nickname',
		name: 'nickname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Ada',
		description,
		displayOptions: showFor(operation),
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
