import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { inputFailure, type WeChatFailure } from './errors';

export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;

/**
 * prefix@OfficialAccountWeChatID: WeChat documents 1–10 letters, digits or underscores before the @, and the
 * Official Account's WeChat ID, at most 30 characters, after it.
 */
const KF_ACCOUNT_PATTERN = /^[A-Za-z0-9_]{1,10}@[A-Za-z0-9_-]{1,30}$/;

const KF_ACCOUNT_FIX =
	"Set Customer Service Account to the full account, prefix@OfficialAccountWeChatID (e.g. agent1@my_official_account): the prefix is 1–10 letters, digits or underscores, and after the @ comes the Official Account's WeChat ID (at most 30 characters).";

export function checkKfAccount(value: unknown): WeChatFailure | undefined {
	if (typeof value !== 'string') {
		return inputFailure(
			'kfAccount',
			`Customer Service Account must be text, but the expression gave ${describeValue(value)}.`,
			KF_ACCOUNT_FIX,
		);
	}
	if (value === '') {
		return inputFailure('kfAccount', 'Customer Service Account is empty.', KF_ACCOUNT_FIX);
	}
	if (!KF_ACCOUNT_PATTERN.test(value)) {
		return inputFailure(
			'kfAccount',
			`Customer Service Account ${JSON.stringify(truncate(value, 60))} is not of the form prefix@OfficialAccountWeChatID.`,
			KF_ACCOUNT_FIX,
		);
	}
	return undefined;
}

export function checkBinaryProperty(
	item: INodeExecutionData,
	propertyName: string,
): WeChatFailure | undefined {
	if (item.binary?.[propertyName]) return undefined;
	const present = Object.keys(item.binary ?? {});
	const has = present.length
		? `It has: ${present.map((name) => `"${name}"`).join(', ')}.`
		: 'It has no binary data at all.';
	return inputFailure(
		'binaryPropertyName',
		`The item has no binary property "${propertyName}". ${has}`,
		present.length
			? 'Set Binary Property to the property that holds the image.'
			: 'Put a node that downloads or reads the image (HTTP Request with Response Format = File, Read/Write Files from Disk) before this one.',
	);
}

/** `field`: where the image came from, Binary Property or Image URL. */
export function checkAvatarSize(bytes: number, field = 'binaryPropertyName'): WeChatFailure | undefined {
	if (bytes === 0) {
		return inputFailure(field, 'The image file is empty (0 bytes).', 'Check the step that produced the file.');
	}
	if (bytes <= MAX_AVATAR_BYTES) return undefined;
	return inputFailure(
		field,
		`The image is ${formatBytes(bytes)} (${bytes} bytes); WeChat accepts at most 5 MB (${MAX_AVATAR_BYTES} bytes).`,
		"Shrink it with n8n's Edit Image node (Resize to 640 × 640, Format = jpeg) before this one.",
	);
}

/** Bytes a binary holds, known without reading it where n8n stored it outside memory. */
export function storedSize(binary: IBinaryData, metadataSize: number | undefined): number {
	if (metadataSize !== undefined) return metadataSize;
	const base64 = binary.data;
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return Math.floor((base64.length * 3) / 4) - padding;
}

export interface AvatarImageType {
	mimeType: 'image/jpeg' | 'image/png';
	extension: 'jpg' | 'png';
}

const JPEG: AvatarImageType = { mimeType: 'image/jpeg', extension: 'jpg' };
const PNG: AvatarImageType = { mimeType: 'image/png', extension: 'png' };
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image type by content, whatever MIME type or file name the item declares. */
export function detectAvatarImageType(bytes: Uint8Array): AvatarImageType | undefined {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
	if (startsWith(bytes, PNG_SIGNATURE)) return PNG;
	return undefined;
}

export function checkAvatarImage(bytes: Uint8Array, declaredMimeType: string, field = 'binaryPropertyName'): WeChatFailure | undefined {
	if (detectAvatarImageType(bytes)) return undefined;
	return inputFailure(
		field,
		`The file is not a JPEG or PNG image: its content looks like ${describeContent(bytes)} (declared as ${declaredMimeType || 'no MIME type'}).`,
		"Convert it with n8n's Edit Image node (Format = jpeg; 640 × 640 is recommended) before this one.",
	);
}

function describeContent(bytes: Uint8Array): string {
	const ascii = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
	if (ascii.startsWith('GIF8')) return 'a GIF image';
	if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'a WebP image';
	if (ascii.startsWith('BM')) return 'a BMP image';
	if (ascii.slice(4, 12) === 'ftypheic' || ascii.slice(4, 12) === 'ftypmif1') return 'a HEIC image';
	if (ascii.startsWith('%PDF')) return 'a PDF document';
	if (ascii.startsWith('<svg') || ascii.startsWith('<?xml')) return 'an SVG or XML document';
	if (/^\s*<(!doctype html|html|head|body)/i.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1'))) return 'an HTML page';
	if (startsWith(bytes, [0xff, 0xd8]) || startsWith(bytes, PNG_SIGNATURE.slice(0, 4))) {
		return 'a truncated or damaged JPEG/PNG header';
	}
	return 'data that is not an image';
}

/** The file name WeChat sees: the item's own name, with the extension the bytes call for. */
export function avatarFileName(declaredFileName: string | undefined, type: AvatarImageType): string {
	const base = (declaredFileName ?? '').replace(/\.[^./\\]*$/, '').trim();
	return `${base || 'avatar'}.${type.extension}`;
}

/**
 * The file name as sent on the wire: printable ASCII only, since WeChat documents nothing about RFC 5987 or raw
 * UTF-8 file names (`阿达.jpg` → `avatar.jpg`, `ada lovelace.jpg` stays). The output keeps the item's real name.
 */
export function wireFileName(fileName: string, type: AvatarImageType): string {
	const base = fileName.replace(/\.[^./\\]*$/, '').replace(/[^\x20-\x7e]|["\\%;]/g, '_').trim();
	return `${/[A-Za-z0-9]/.test(base) ? base : 'avatar'}.${type.extension}`;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
	return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function describeValue(value: unknown): string {
	if (value === null || value === undefined) return 'nothing';
	if (typeof value === 'number') return `the number ${value}`;
	if (typeof value === 'boolean') return `the boolean ${value}`;
	return Array.isArray(value) ? 'a list' : 'an object';
}

function truncate(text: string, length: number): string {
	return text.length > length ? `${text.slice(0, length)}…` : text;
}

function formatBytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/** WeChat's limit on a customer-service nickname, in characters (a Chinese character counts as one). */
export const MAX_NICKNAME_CHARACTERS = 16;

export function checkNickname(value: unknown): WeChatFailure | undefined {
	const fix = `Set Nickname to the name customers see, 1–${MAX_NICKNAME_CHARACTERS} characters.`;
	if (typeof value !== 'string') {
		return inputFailure('nickname', `Nickname must be text, but the expression gave ${describeValue(value)}.`, fix);
	}
	const characters = [...value.trim()].length;
	if (characters === 0) return inputFailure('nickname', 'Nickname is empty.', fix);
	if (characters > MAX_NICKNAME_CHARACTERS) {
		return inputFailure(
			'nickname',
			`Nickname ${JSON.stringify(truncate(value.trim(), 40))} has ${characters} characters; WeChat allows at most ${MAX_NICKNAME_CHARACTERS}.`,
			fix,
		);
	}
	return undefined;
}

/** A WeChat ID: 6–20 letters, digits, - or _, starting with a letter. */
const WECHAT_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;

export function checkInviteWx(value: unknown): WeChatFailure | undefined {
	const fix =
		"Set WeChat ID to the agent's WeChat ID (Me > WeChat ID in the app: 6–20 letters, digits, - or _, starting with a letter), not a nickname or phone number.";
	if (typeof value !== 'string') {
		return inputFailure('inviteWx', `WeChat ID must be text, but the expression gave ${describeValue(value)}.`, fix);
	}
	if (!WECHAT_ID_PATTERN.test(value.trim())) {
		return inputFailure('inviteWx', `WeChat ID ${JSON.stringify(truncate(value.trim(), 40))} is not a valid WeChat ID.`, fix);
	}
	return undefined;
}

/** An Image URL the node may download: http or https, with a host. */
export function checkImageUrl(value: unknown): WeChatFailure | undefined {
	const fix = 'Set Image URL to the full address of the image, starting with https://, usually an expression such as {{ $json.photoUrl }}.';
	if (typeof value !== 'string' || value.trim() === '') return inputFailure('imageUrl', 'Image URL is empty.', fix);
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return inputFailure('imageUrl', `Image URL ${JSON.stringify(truncate(value.trim(), 80))} is not a URL.`, fix);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return inputFailure('imageUrl', `Image URL must be http or https, not ${url.protocol.replace(':', '')}.`, fix);
	}
	return undefined;
}
