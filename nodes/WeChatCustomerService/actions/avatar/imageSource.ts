import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeChatFailure } from '../../errors';
import type { OperationContext } from '../types';
import { downloadImage } from '../../transport/imageDownload';
import {
	avatarFileName,
	checkAvatarImage,
	checkAvatarSize,
	checkBinaryProperty,
	checkImageUrl,
	detectAvatarImageType,
	MAX_AVATAR_BYTES,
	storedSize,
	type AvatarImageType,
} from '../../validation';

export interface AvatarImage {
	bytes: Buffer;
	/** Gives its bytes back to the execution's budget, once it has been sent. */
	release: () => void;
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

const fromUrl = (context: IExecuteFunctions, itemIndex: number) => context.getNodeParameter('imageSource', itemIndex, 'binary') === 'url';
const binaryPropertyName = (context: IExecuteFunctions, itemIndex: number) =>
	String(context.getNodeParameter('binaryPropertyName', itemIndex)).trim();

/** What can be checked of the item's image source without reading or downloading it: the URL, or that the binary is there. */
export function checkImageSource(context: IExecuteFunctions, itemIndex: number): WeChatFailure | undefined {
	if (fromUrl(context, itemIndex)) return checkImageUrl(context.getNodeParameter('imageUrl', itemIndex));
	return checkBinaryProperty(context.getInputData()[itemIndex], binaryPropertyName(context, itemIndex));
}

/**
 * The item's avatar, checked (at most 5 MB, a JPEG or PNG by content), or why it cannot be used. Its bytes are
 * taken from the execution's budget before it is read: release them once it is sent.
 */
export async function readAvatarImage(
	context: IExecuteFunctions,
	itemIndex: number,
	{ download, imageBytes }: Pick<OperationContext, 'download' | 'imageBytes'>,
): Promise<AvatarImage | WeChatFailure> {
	const sourceFailure = checkImageSource(context, itemIndex);
	if (sourceFailure) return sourceFailure;
	if (fromUrl(context, itemIndex)) {
		// Its size is known only once it arrives: budget for the most it may be.
		const release = await imageBytes.take(MAX_AVATAR_BYTES);
		const downloaded = await downloadImage(context, String(context.getNodeParameter('imageUrl', itemIndex)).trim(), download);
		if ('meaning' in downloaded) return released(release, downloaded);
		return checkedImage(downloaded.bytes, downloaded.fileName, downloaded.mimeType, 'imageUrl', release);
	}

	const propertyName = binaryPropertyName(context, itemIndex);
	const item = context.getInputData()[itemIndex];
	// Check the size n8n recorded before reading a file that may be far too large into memory.
	const binary = item.binary![propertyName];
	const recordedSize = binary.id ? (await context.helpers.getBinaryMetadata(binary.id)).fileSize : undefined;
	const size = storedSize(binary, recordedSize);
	const recordedSizeFailure = checkAvatarSize(size);
	if (recordedSizeFailure) return recordedSizeFailure;
	const release = await imageBytes.take(size);
	let read = false;
	try {
		const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
		read = true;
		return checkedImage(bytes, binary.fileName, binary.mimeType, 'binaryPropertyName', release);
	} finally {
		if (!read) release();
	}
}

function checkedImage(
	bytes: Buffer,
	fileName: string | undefined,
	mimeType: string,
	field: string,
	release: () => void,
): AvatarImage | WeChatFailure {
	const failure = checkAvatarSize(bytes.length, field) ?? checkAvatarImage(bytes, mimeType, field);
	if (failure) return released(release, failure);
	const type = detectAvatarImageType(bytes)!;
	return { bytes, fileName: avatarFileName(fileName, type), type, release };
}

function released(release: () => void, failure: WeChatFailure): WeChatFailure {
	release();
	return failure;
}
