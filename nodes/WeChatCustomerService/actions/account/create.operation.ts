import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkNickname } from '../../validation';
import type { ItemOutcome, OperationContext } from '../types';
import { changeAccount, kfAccountField, nicknameField } from './shared';

export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	kfAccountField(displayOptions, 'The new account, prefix@OfficialAccountWeChatID; the prefix is 1–10 letters, digits or underscores'),
	nicknameField(displayOptions, 'The name customers see, at most 16 characters'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<ItemOutcome> {
	return await changeAccount(this, itemIndex, context, {
		path: '/customservice/kfaccount/add',
		alreadyDoneErrcode: 65406,
		parameter: 'nickname',
		wireName: 'nickname',
		check: checkNickname,
	});
}
