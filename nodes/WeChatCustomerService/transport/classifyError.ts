import { transportFailure, type TransportFailureKind, type WeChatFailure } from '../errors';

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface ErrorLike {
	code?: unknown;
	message?: unknown;
	cause?: unknown;
	wechatFailure?: WeChatFailure;
	response?: { status?: unknown };
}

/** The errors n8n's request helpers throw wrap the one that says what happened: look down the cause chain. */
function causeChain(error: unknown): ErrorLike[] {
	const chain: ErrorLike[] = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 10) {
		chain.push(current as ErrorLike);
		current = (current as ErrorLike).cause;
	}
	return chain;
}

/** A failure carried by an error this package threw itself (the token fetch), if any. */
export function carriedFailure(error: unknown): WeChatFailure | undefined {
	return causeChain(error).find((link) => link.wechatFailure)?.wechatFailure;
}

/**
 * Whether a request that got no answer may still have reached WeChat and been carried out: it timed out or the
 * connection dropped after sending. Not when the token fetch before it failed, or nothing was there to connect to.
 */
export function mayHaveReachedWeChat(error: unknown): boolean {
	if (carriedFailure(error)) return false;
	const chain = causeChain(error);
	const codes = chain.map((link) => String(link.code ?? ''));
	const messages = chain.map((link) => String(link.message ?? ''));
	const status = chain.map((link) => link.response?.status).find((value) => typeof value === 'number');
	if (typeof status === 'number') return status >= 500;
	if (codes.some((code) => UNREACHABLE_CODES.has(code))) return false;
	return (
		codes.some((code) => TIMEOUT_CODES.has(code) || RESET_CODES.has(code)) ||
		messages.some((message) => /timeout|socket hang up|aborted/i.test(message))
	);
}

/** What kind of failure a request error is, what it said, and the HTTP status if one came. */
export function describeRequestError(error: unknown): {
	kind: Exclude<TransportFailureKind, 'unreadable answer'> | 'redirects';
	detail: string;
	status?: number;
} {
	const chain = causeChain(error);
	const codes = chain.map((link) => String(link.code ?? ''));
	const messages = chain.map((link) => String(link.message ?? ''));
	const detail = messages.find((message) => message) ?? 'request failed';
	const status = chain.map((link) => link.response?.status).find((value) => typeof value === 'number');
	if (typeof status === 'number') return { kind: 'http status', detail, status };
	if (codes.includes('ERR_FR_TOO_MANY_REDIRECTS') || messages.some((m) => /maximum number of redirects/i.test(m))) {
		return { kind: 'redirects', detail };
	}
	if (codes.some((code) => TIMEOUT_CODES.has(code)) || messages.some((m) => /timeout/i.test(m))) return { kind: 'timeout', detail };
	if (codes.some((code) => UNREACHABLE_CODES.has(code))) return { kind: 'unreachable', detail };
	if (codes.some((code) => RESET_CODES.has(code)) || messages.some((m) => /socket hang up|aborted/i.test(m))) {
		return { kind: 'reset', detail };
	}
	return { kind: 'request failed', detail };
}

export function classifyRequestError(error: unknown): WeChatFailure {
	const carried = carriedFailure(error);
	if (carried) return carried;
	const { kind, detail, status } = describeRequestError(error);
	return transportFailure(kind === 'redirects' ? 'request failed' : kind, detail, status);
}
