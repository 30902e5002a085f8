import { createHash } from 'crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { TOKEN_RENEWAL_MARGIN_MS, type TokenGrant } from './accessToken';

/** How long a token this process fetched is handed to other executions that ask for one with the same refusal. */
const RECENT_TOKEN_MS = 60_000;

interface TokenFetch {
	grant: Promise<TokenGrant>;
	value?: TokenGrant;
	settledAt?: number;
}

const fetches = new Map<string, TokenFetch>();

/** Sessions waiting to hear that a fetch for their credential ended, so they need not wait for the request around it. */
const waiting = new Map<string, Set<(grant: TokenGrant | undefined) => void>>();

function fetchKey(credentials: ICredentialDataDecryptedObject): string {
	const { baseUrl, appId, appSecret, tokenEndpoint, refusedAccessToken } = credentials;
	return createHash('sha256')
		.update(JSON.stringify([baseUrl, appId, appSecret, tokenEndpoint, refusedAccessToken ?? '']))
		.digest('hex');
}

function forgetOldFetches(now: number): void {
	for (const [key, fetch] of fetches) {
		if (fetch.settledAt !== undefined && now - fetch.settledAt >= RECENT_TOKEN_MS) fetches.delete(key);
	}
}

/** A token WeChat refused is handed to nobody else, whatever fetch brought it. */
function forgetRefusedToken(refused: unknown): void {
	if (typeof refused !== 'string' || refused === '') return;
	for (const [key, fetch] of fetches) if (fetch.value?.token === refused) fetches.delete(key);
}

function tell(key: string, grant: TokenGrant | undefined): void {
	const listeners = waiting.get(key);
	waiting.delete(key);
	for (const listener of listeners ?? []) listener(grant);
}

/**
 * Resolves when the next token fetch for these credential fields ends in this process: with the token, or
 * undefined when it failed. `cancel` stops listening.
 */
export function nextTokenFetch(credentials: ICredentialDataDecryptedObject): { ended: Promise<TokenGrant | undefined>; cancel(): void } {
	const key = fetchKey(credentials);
	let listener: (grant: TokenGrant | undefined) => void = () => undefined;
	const ended = new Promise<TokenGrant | undefined>((resolve) => {
		listener = resolve;
		const listeners = waiting.get(key) ?? new Set();
		listeners.add(resolve);
		waiting.set(key, listeners);
	});
	return {
		ended,
		cancel() {
			const listeners = waiting.get(key);
			listeners?.delete(listener);
			if (listeners?.size === 0) waiting.delete(key);
		},
	};
}

/**
 * One token fetch at a time per credential in this process (an n8n main or worker): executions that need a token
 * at once, or within a minute of each other, share one answer from WeChat instead of asking once each, unless
 * that token is within WeChat's renewal margin of its end. A failed fetch is shared by those waiting for it and
 * then forgotten, so the next execution asks again; so is a token as soon as any execution reports it refused.
 */
export async function sharedTokenFetch(
	credentials: ICredentialDataDecryptedObject,
	fetchToken: () => Promise<TokenGrant>,
): Promise<TokenGrant> {
	const now = Date.now();
	forgetOldFetches(now);
	forgetRefusedToken(credentials.refusedAccessToken);
	const key = fetchKey(credentials);
	const known = fetches.get(key);
	if (known && !(known.value && known.value.expiresAt - now <= TOKEN_RENEWAL_MARGIN_MS)) {
		const grant = await known.grant;
		tell(key, grant);
		return grant;
	}
	const fetch: TokenFetch = { grant: fetchToken() };
	fetches.set(key, fetch);
	fetch.grant.then(
		(grant) => {
			fetch.value = grant;
			fetch.settledAt = Date.now();
			tell(key, grant);
		},
		() => {
			if (fetches.get(key) === fetch) fetches.delete(key);
			tell(key, undefined);
		},
	);
	return await fetch.grant;
}
