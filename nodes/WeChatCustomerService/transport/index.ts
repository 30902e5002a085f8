import { sleep } from 'n8n-workflow';

import { GIVEN_TOKEN_STALE_FIX, isTokenStale, type WeChatFailure } from '../errors';
import { readAnswer, type Answer } from './answer';
import { classifyRequestError } from './classifyError';
import { redactSecrets } from './redact';
import type { TokenSession, WeChatRequest } from './types';

export { AccessTokenSession } from './tokenSession';
export { GivenTokenSession } from './givenTokenSession';
export type { TokenSession, WeChatRequest } from './types';

export interface RetryPolicy {
	maxRetries: number;
	retryDelayMs: number;
}

export type RetryLog = (failure: WeChatFailure, retry: number, delayMs: number) => void;

/**
 * The one door to WeChat. A stale token is replaced and the request sent once more; busy answers, 5xx, timeouts and
 * resets are retried with exponential backoff; everything else comes back as the item's failure, secrets removed.
 */
export async function wechatApiRequest(
	session: TokenSession,
	request: WeChatRequest,
	policy: RetryPolicy,
	onRetry: RetryLog,
): Promise<Answer> {
	let retriedStaleToken = false;
	for (let retry = 0; ; ) {
		const sent = await session.send(request);
		const answer: Answer = sent.response
			? readAnswer(sent.response.statusCode, String(sent.response.body ?? ''), request.expectErrcode)
			: { ok: false, failure: classifyRequestError(sent.error) };
		if (answer.ok) return answer;
		const { failure } = answer;
		if (failure.errcode !== null && isTokenStale(failure.errcode)) {
			if (!retriedStaleToken && sent.accessToken && (await session.replaceStaleToken(sent.accessToken))) {
				retriedStaleToken = true;
				continue;
			}
			if (!retriedStaleToken) {
				return { ok: false, failure: withoutSecrets({ ...failure, fix: GIVEN_TOKEN_STALE_FIX, retryable: false }, session) };
			}
		}
		if (failure.retryable && failure.category !== 'token stale' && retry < policy.maxRetries) {
			const delayMs = policy.retryDelayMs * 2 ** retry;
			retry++;
			onRetry(withoutSecrets(failure, session), retry, delayMs);
			await sleep(delayMs);
			continue;
		}
		return { ok: false, failure: withoutSecrets(failure, session) };
	}
}

function withoutSecrets(failure: WeChatFailure, session: TokenSession): WeChatFailure {
	return { ...failure, errmsg: redactSecrets(failure.errmsg, session.secrets()) };
}
