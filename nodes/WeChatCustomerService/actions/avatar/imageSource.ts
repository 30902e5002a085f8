import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeChatFailure } from '../../errors';
import { downloadImage } from '../../transport/imageDownload';
import {
	avatarFileName,
	checkAvatarImage,
	checkAvatarSize,
	checkBinaryProperty,
	checkImageUrl,
	detectAvatarImageType,
	storedSize,
	type AvatarImageType,
} from '../../validation';

export interface AvatarImage {
	bytes: Buffer;
	/** The item's or the URL's file name, its extension matching the bytes. */
	fileName: string;
	type: AvatarImageType;
}

const showWhen = (displayOptions: IDisplayOptions, imageSource: string): IDisplayOptions => ({
	show: { ...displayOptions.show, imageSource: [imageSource] },
});

/** Where the avatar comes from: the item's binary data, or a URL the node downloads. */
export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{ name: 'Binary Property', value: 'binary', description: "An image an earlier step put in the item's binary data" },
			{ name: 'URL', value: 'url', description: 'An image the node downloads, e.g. a photo link an AI agent or a form gives' },
		],
		default: 'binary',
		displayOptions,
	},
	{
		displayName: 'Binary Property',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description:
			'Name of the binary property holding the image: a JPEG of at most 5 MB (WeChat recommends 640 × 640; a PNG may be refused, convert it with the Edit Image node)',
		displayOptions: showWhen(displayOptions, 'binary'),
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/photos/ada.jpg',
		description:
			"Where to download the image: a JPEG of at most 5 MB (WeChat recommends 640 × 640). n8n's proxy and SSRF settings apply; a larger file is refused before it has all arrived.",
		displayOptions: showWhen(displayOptions, 'url'),
	},
];

/** The item's avatar, checked (at most 5 MB, a JPEG or PNG by content), or why it cannot be used. */
export async function readAvatarImage(
	context: IExecuteFunctions,
	itemIndex: number,
	download: { timeoutMs: number; cancelSignal?: AbortSignal },
): Promise<AvatarImage | WeChatFailure> {
	if (context.getNodeParameter('imageSource', itemIndex, 'binary') === 'url') {
		const url = context.getNodeParameter('imageUrl', itemIndex);
		const urlFailure = checkImageUrl(url);
		if (urlFailure) return urlFailure;
		const downloaded = await downloadImage(context, String(url).trim(), download);
		if ('meaning' in downloaded) return downloaded;
		return checkedImage(downloaded.bytes, downloaded.fileName, downloaded.mimeType, 'imageUrl');
	}

	const propertyName = String(context.getNodeParameter('binaryPropertyName', itemIndex)).trim();
	const item = context.getInputData()[itemIndex];
	const propertyFailure = checkBinaryProperty(item, propertyName);
	if (propertyFailure) return propertyFailure;
	// Check the size n8n recorded before reading a file that may be far too large into memory.
	const binary = item.binary![propertyName];
	const recordedSize = binary.id ? (await context.helpers.getBinaryMetadata(binary.id)).fileSize : undefined;
	const recordedSizeFailure = checkAvatarSize(storedSize(binary, recordedSize));
	if (recordedSizeFailure) return recordedSizeFailure;
	const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return checkedImage(bytes, binary.fileName, binary.mimeType, 'binaryPropertyName');
}

function checkedImage(bytes: Buffer, fileName: string | undefined, mimeType: string, field: string): AvatarImage | WeChatFailure {
	const failure = checkAvatarSize(bytes.length, field) ?? checkAvatarImage(bytes, mimeType, field);
	if (failure) return failure;
	const type = detectAvatarImageType(bytes)!;
	return { bytes, fileName: avatarFileName(fileName, type), type };
}
