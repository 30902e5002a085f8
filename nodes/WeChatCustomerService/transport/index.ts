import { sleep } from 'n8n-workflow';

import { GIVEN_TOKEN_STALE_FIX, type WeChatFailure } from '../errors';
import { readAnswer, type Answer } from './answer';
import { classifyRequestError, mayHaveReachedWeChat } from './classifyError';
import { redactSecrets } from './redact';
import type { TokenSession, WeChatRequest } from './types';

export { AccessTokenSession } from './tokenSession';
export { GivenTokenSession } from './givenTokenSession';
export type { TokenSession, WeChatRequest } from './types';

export interface RetryPolicy {
	maxRetries: number;
	retryDelayMs: number;
	/** Set when the execution is cancelled: no retry starts, and a wait under way ends. */
	cancelSignal?: AbortSignal;
}

export type RetryLog = (failure: WeChatFailure, retry: number, delayMs: number) => void;

/** One item never waits longer than this in total between its retries, whatever Max Retries and Retry Delay say. */
export const MAX_RETRY_WAIT_MS = 90_000;

/** WeChat's per-minute limit (45011) says "retry next minute": one retry, just after the minute turns. */
const FREQUENCY_LIMIT_ERRCODE = 45011;

const PAUSE_SLICE_MS = 250;

/** Waits `ms`, in slices so a cancelled execution stops waiting; false when it was cancelled. */
async function pause(ms: number, cancelSignal: AbortSignal | undefined): Promise<boolean> {
	for (let waited = 0; waited < ms; waited += PAUSE_SLICE_MS) {
		if (cancelSignal?.aborted) return false;
		await sleep(Math.min(PAUSE_SLICE_MS, ms - waited));
	}
	return !cancelSignal?.aborted;
}

function untilNextMinuteMs(nowMs: number): number {
	return 60_000 - (nowMs % 60_000) + 1_000;
}

/**
 * The one door to WeChat. A stale token is replaced and the request sent once more; busy answers, 5xx, timeouts and
 * resets are retried with exponential backoff; the per-minute limit once, after the minute turns; everything else
 * comes back as the item's failure, secrets removed. Retries stop when the execution is cancelled or the item's
 * waits would pass MAX_RETRY_WAIT_MS.
 */
export async function wechatApiRequest(
	session: TokenSession,
	request: WeChatRequest,
	policy: RetryPolicy,
	onRetry: RetryLog,
): Promise<Answer> {
	let retriedStaleToken = false;
	let retriedFrequencyLimit = false;
	let answerLost = false;
	let waitedMs = 0;
	for (let retry = 0; ; ) {
		const sent = await session.send(request);
		const answer: Answer = sent.response
			? readAnswer(sent.response.statusCode, String(sent.response.body ?? ''), request.expectErrcode)
			: { ok: false, failure: classifyRequestError(sent.error) };
		if (answer.ok) return answer;
		const { failure } = answer;
		if (answerLost && failure.errcode !== null && failure.errcode === request.alreadyDoneErrcode) {
			return { ok: true, alreadyDone: true, body: { errcode: 0, errmsg: 'ok', retryErrcode: failure.errcode } };
		}
		answerLost ||= sent.response ? sent.response.statusCode >= 500 : mayHaveReachedWeChat(sent.error);
		if (failure.category === 'token stale') {
			if (!retriedStaleToken && sent.accessToken && (await session.replaceStaleToken(sent.accessToken))) {
				retriedStaleToken = true;
				continue;
			}
			if (!retriedStaleToken) {
				return { ok: false, failure: withoutSecrets({ ...failure, fix: GIVEN_TOKEN_STALE_FIX, retryable: false }, session) };
			}
		}
		const delayMs = nextRetryDelayMs(failure, retry, policy, { retriedFrequencyLimit, waitedMs });
		if (delayMs === undefined || policy.cancelSignal?.aborted) return { ok: false, failure: withoutSecrets(failure, session) };
		const frequencyLimited = failure.errcode === FREQUENCY_LIMIT_ERRCODE;
		if (frequencyLimited) retriedFrequencyLimit = true;
		else retry++;
		onRetry(withoutSecrets(failure, session), frequencyLimited ? 1 : retry, delayMs);
		waitedMs += delayMs;
		if (!(await pause(delayMs, policy.cancelSignal))) return { ok: false, failure: withoutSecrets(failure, session) };
	}
}

/** How long to wait before retrying this failure, or undefined when it must not be retried. */
function nextRetryDelayMs(
	failure: WeChatFailure,
	retry: number,
	policy: RetryPolicy,
	state: { retriedFrequencyLimit: boolean; waitedMs: number },
): number | undefined {
	let delayMs: number;
	if (failure.errcode === FREQUENCY_LIMIT_ERRCODE) {
		if (state.retriedFrequencyLimit) return undefined;
		delayMs = untilNextMinuteMs(Date.now());
	} else {
		if (!failure.retryable || failure.category === 'token stale' || retry >= policy.maxRetries) return undefined;
		delayMs = policy.retryDelayMs * 2 ** retry;
	}
	return state.waitedMs + delayMs > MAX_RETRY_WAIT_MS ? undefined : delayMs;
}

function withoutSecrets(failure: WeChatFailure, session: TokenSession): WeChatFailure {
	return { ...failure, errmsg: redactSecrets(failure.errmsg, session.secrets()) };
}
