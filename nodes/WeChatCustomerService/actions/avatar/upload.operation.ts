import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { wechatApiRequest } from '../../transport';
import { singleFileMultipart } from '../../transport/multipart';
import { wireFileName } from '../../validation';
import { kfAccountField, readKfAccount } from '../account/shared';
import type { ItemOutcome, OperationContext } from '../types';
import * as imageSource from './imageSource';

export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	kfAccountField(
		displayOptions,
		"The full account, prefix@OfficialAccountWeChatID, as listed in the Official Account's customer-service settings",
	),
	...imageSource.properties(displayOptions),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<ItemOutcome> {
	const account = readKfAccount(this, itemIndex);
	if ('failure' in account) return account;
	const { subject } = account;

	const image = await imageSource.readAvatarImage(this, itemIndex, context);
	if ('meaning' in image) return { failure: image, subject };
	try {
		return await uploadAvatar(context, account.kfAccount, image, subject);
	} finally {
		image.release();
	}
}

/** POST /customservice/kfaccount/uploadheadimg: the image as the one multipart part `media`. */
export async function uploadAvatar(
	{ session, retryPolicy, onRetry }: OperationContext,
	kfAccount: string,
	image: imageSource.AvatarImage,
	subject: IDataObject,
): Promise<ItemOutcome> {
	const answer = await wechatApiRequest(
		session,
		{
			method: 'POST',
			path: '/customservice/kfaccount/uploadheadimg',
			qs: { kf_account: kfAccount },
			multipart: () => singleFileMultipart('media', wireFileName(image.fileName, image.type), image.type.mimeType, image.bytes),
			expectErrcode: true,
		},
		retryPolicy,
		onRetry,
	);
	if (!answer.ok) return { failure: answer.failure, subject };
	return {
		json: { errcode: 0, errmsg: 'ok', kfAccount, fileName: image.fileName, fileSize: image.bytes.length, mimeType: image.type.mimeType },
	};
}
