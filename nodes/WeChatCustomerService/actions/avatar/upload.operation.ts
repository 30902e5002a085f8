import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { wechatApiRequest } from '../../transport';
import { singleFileMultipart } from '../../transport/multipart';
import {
	avatarFileName,
	checkAvatarImage,
	checkAvatarSize,
	checkBinaryProperty,
	detectAvatarImageType,
	storedSize,
	wireFileName,
} from '../../validation';
import { kfAccountField, readKfAccount } from '../account/shared';
import type { ItemOutcome, OperationContext } from '../types';

export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	kfAccountField(
		displayOptions,
		"The full account, prefix@OfficialAccountWeChatID, as listed in the Official Account's customer-service settings",
	),
	{
		displayName: 'Binary Property',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description:
			'Name of the binary property holding the image: a JPEG of at most 5 MB (WeChat recommends 640 × 640; a PNG may be refused, convert it with the Edit Image node)',
		displayOptions,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ session, retryPolicy, onRetry }: OperationContext,
): Promise<ItemOutcome> {
	const account = readKfAccount(this, itemIndex);
	if ('failure' in account) return account;
	const { subject } = account;

	const propertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex)).trim();
	const item = this.getInputData()[itemIndex];
	const propertyFailure = checkBinaryProperty(item, propertyName);
	if (propertyFailure) return { failure: propertyFailure, subject };

	// Check the size n8n recorded before reading a file that may be far too large into memory.
	const binary = item.binary![propertyName];
	const recordedSize = binary.id ? (await this.helpers.getBinaryMetadata(binary.id)).fileSize : undefined;
	const recordedSizeFailure = checkAvatarSize(storedSize(binary, recordedSize));
	if (recordedSizeFailure) return { failure: recordedSizeFailure, subject };

	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	const contentFailure = checkAvatarSize(bytes.length) ?? checkAvatarImage(bytes, binary.mimeType);
	if (contentFailure) return { failure: contentFailure, subject };

	const imageType = detectAvatarImageType(bytes)!;
	const fileName = avatarFileName(binary.fileName, imageType);
	const answer = await wechatApiRequest(
		session,
		{
			method: 'POST',
			path: '/customservice/kfaccount/uploadheadimg',
			qs: { kf_account: subject.kfAccount },
			multipart: () => singleFileMultipart('media', wireFileName(fileName, imageType), imageType.mimeType, bytes),
			expectErrcode: true,
		},
		retryPolicy,
		onRetry,
	);
	if (!answer.ok) return { failure: answer.failure, subject };
	return {
		json: {
			errcode: 0,
			errmsg: 'ok',
			kfAccount: subject.kfAccount,
			fileName,
			fileSize: bytes.length,
			mimeType: imageType.mimeType,
		},
	};
}
