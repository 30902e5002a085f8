import type { IDataObject } from 'n8n-workflow';

import { errcodeFailure, transportFailure, type WeChatFailure } from '../errors';

export type Answer = { ok: true; body: IDataObject } | { ok: false; failure: WeChatFailure };

const RAW_TEXT_KEPT = 300;

/**
 * WeChat says yes or no in the body of an HTTP 200: an errcode other than 0 is a failure, and so is anything that
 * is not the JSON object it documents (some kf endpoints have answered with unquoted values).
 */
export function readAnswer(statusCode: number, text: string, expectErrcode: boolean): Answer {
	const raw = text.length > RAW_TEXT_KEPT ? `${text.slice(0, RAW_TEXT_KEPT)}…` : text;
	if (statusCode >= 300) return { ok: false, failure: transportFailure('http status', raw, statusCode) };
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { ok: false, failure: transportFailure('unreadable answer', raw) };
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return { ok: false, failure: transportFailure('unreadable answer', raw) };
	}
	const { errcode, errmsg } = body as IDataObject;
	if (errcode === 0 || (errcode === undefined && !expectErrcode)) return { ok: true, body: body as IDataObject };
	if (typeof errcode !== 'number') return { ok: false, failure: transportFailure('unreadable answer', raw) };
	return { ok: false, failure: errcodeFailure(errcode, typeof errmsg === 'string' ? errmsg : '') };
}
