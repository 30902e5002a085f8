import type { IDataObject } from 'n8n-workflow';

import { errcodeFailure, errcodeNumber, transportFailure, type WeChatFailure } from '../errors';

/** `alreadyDone`: an earlier attempt whose answer was lost made the change; this retry heard "already so". */
export type Answer = { ok: true; body: IDataObject; alreadyDone?: boolean } | { ok: false; failure: WeChatFailure };

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
	const { errcode: sent, errmsg } = body as IDataObject;
	if (sent === undefined && !expectErrcode) return { ok: true, body: body as IDataObject };
	const errcode = errcodeNumber(sent);
	if (errcode === 0) return { ok: true, body: { ...(body as IDataObject), errcode } };
	if (errcode === undefined) return { ok: false, failure: transportFailure('unreadable answer', raw) };
	return { ok: false, failure: errcodeFailure(errcode, typeof errmsg === 'string' ? errmsg : '') };
}
