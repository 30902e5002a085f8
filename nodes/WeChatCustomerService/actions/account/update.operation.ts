import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkNickname } from '../../validation';
import type { ItemOutcome, OperationContext } from '../types';
import { changeAccount, kfAccountField, nicknameField } from './shared';

export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	kfAccountField(displayOptions, 'The account to rename, prefix@OfficialAccountWeChatID'),
	nicknameField(displayOptions, 'The new name customers see, at most 16 characters'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<ItemOutcome> {
	return await changeAccount(this, itemIndex, context, {
		path: '/customservice/kfaccount/update',
		parameter: 'nickname',
		wireName: 'nickname',
		check: checkNickname,
	});
}
