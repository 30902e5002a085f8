import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { MAX_RETRY_WAIT_MS, wechatApiRequest, type RetryPolicy } from '../nodes/WeChatCustomerService/transport';
import type { SentRequest, TokenSession } from '../nodes/WeChatCustomerService/transport/types';

/** A session that answers each send with the next body, as WeChat would over HTTP 200: what the retry loop is not about. */
function scriptedSession(bodies: object[]): TokenSession & { sends: number } {
	const session = {
		sends: 0,
		async send(): Promise<SentRequest> {
			const body = bodies[Math.min(session.sends, bodies.length - 1)];
			session.sends++;
			return { response: { statusCode: 200, body: JSON.stringify(body), headers: {} } as IN8nHttpFullResponse, accessToken: 'token-value' };
		},
		async replaceStaleToken() {
			return true;
		},
		secrets: () => ['token-value'],
	};
	return session;
}

const request = { method: 'POST' as const, path: '/customservice/kfaccount/add', body: {}, expectErrcode: true };

async function run(bodies: object[], policy: Partial<RetryPolicy> = {}) {
	const session = scriptedSession(bodies);
	const retries: number[] = [];
	const answer = wechatApiRequest(session, request, { maxRetries: 3, retryDelayMs: 10, ...policy }, (_failure, _retry, delayMs) => retries.push(delayMs));
	await jest.runAllTimersAsync();
	return { answer: await answer, sends: session.sends, retries };
}

beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-01T08:00:20Z') }));
afterEach(() => jest.useRealTimers());

describe('what the node retries', () => {
	test('45011 (the per-minute limit) is retried once, after the minute turns', async () => {
		const { answer, sends, retries } = await run([{ errcode: 45011, errmsg: 'api minute-quota reach limit' }, { errcode: 0, errmsg: 'ok' }]);

		expect(answer.ok).toBe(true);
		expect(sends).toBe(2);
		expect(retries).toEqual([41_000]);
	});

	test('45011 twice fails the item after one retry', async () => {
		const { answer, sends } = await run([{ errcode: 45011, errmsg: 'api minute-quota reach limit' }]);

		expect(answer).toMatchObject({ ok: false, failure: { errcode: 45011, category: 'quota' } });
		expect(sends).toBe(2);
	});

	test.each([45009, 48001, 48004, 65400, 40125, 40164, 40013, 89503, 41001])('errcode %i is never retried', async (errcode) => {
		const { answer, sends } = await run([{ errcode, errmsg: 'refused' }]);

		expect(answer).toMatchObject({ ok: false, failure: { errcode } });
		expect(sends).toBe(1);
	});

	test('-1 (busy) is retried Max Retries times with doubling waits', async () => {
		const { answer, sends, retries } = await run([{ errcode: -1, errmsg: 'system error' }]);

		expect(answer).toMatchObject({ ok: false, failure: { errcode: -1 } });
		expect(sends).toBe(4);
		expect(retries).toEqual([10, 20, 40]);
	});

	test(`one item never waits more than ${MAX_RETRY_WAIT_MS / 1000} s in all between retries`, async () => {
		const { sends, retries } = await run([{ errcode: -1, errmsg: 'system error' }], { maxRetries: 10, retryDelayMs: 20_000 });

		expect(retries).toEqual([20_000, 40_000]);
		expect(retries.reduce((sum, delay) => sum + delay, 0)).toBeLessThanOrEqual(MAX_RETRY_WAIT_MS);
		expect(sends).toBe(3);
	});

	test('a cancelled execution stops waiting and retries no more', async () => {
		const cancel = new AbortController();
		const session = scriptedSession([{ errcode: -1, errmsg: 'system error' }]);
		const answer = wechatApiRequest(session, request, { maxRetries: 5, retryDelayMs: 10_000, cancelSignal: cancel.signal }, () => undefined);
		await jest.advanceTimersByTimeAsync(3_000);
		cancel.abort();
		await jest.advanceTimersByTimeAsync(1_000);

		expect(await answer).toMatchObject({ ok: false, failure: { errcode: -1 } });
		expect(session.sends).toBe(1);
	});

	test('an errcode WeChat sends as a numeric string is that errcode, with its meaning; a word is an unreadable answer', async () => {
		const numeric = await run([{ errcode: '40005', errmsg: 'invalid file type' }]);
		const word = await run([{ errcode: 'ok', errmsg: 'ok' }]);
		const zero = await run([{ errcode: '0', errmsg: 'ok' }]);

		expect(numeric.answer).toMatchObject({ ok: false, failure: { errcode: 40005, category: 'bad input' } });
		expect(word.answer).toMatchObject({ ok: false, failure: { errcode: null, category: 'other' } });
		expect(zero.answer).toMatchObject({ ok: true, body: { errcode: 0 } });
	});
});
