import { createHash } from 'crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** How long a token this process fetched is handed to other executions that ask for one with the same refusal. */
const RECENT_TOKEN_MS = 60_000;

interface TokenFetch {
	token: Promise<string>;
	value?: string;
	settledAt?: number;
}

const fetches = new Map<string, TokenFetch>();

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
	for (const [key, fetch] of fetches) if (fetch.value === refused) fetches.delete(key);
}

/**
 * One token fetch at a time per credential in this process (an n8n main or worker): executions that need a token
 * at once, or within a minute of each other, share one answer from WeChat instead of asking once each. A failed
 * fetch is shared by those waiting for it and then forgotten, so the next execution asks again; so is a token as
 * soon as any execution reports it refused.
 */
export async function sharedTokenFetch(
	credentials: ICredentialDataDecryptedObject,
	fetchToken: () => Promise<string>,
): Promise<string> {
	const now = Date.now();
	forgetOldFetches(now);
	forgetRefusedToken(credentials.refusedAccessToken);
	const key = fetchKey(credentials);
	const known = fetches.get(key);
	if (known) return await known.token;
	const fetch: TokenFetch = { token: fetchToken() };
	fetches.set(key, fetch);
	fetch.token.then(
		(token) => {
			fetch.value = token;
			fetch.settledAt = Date.now();
		},
		() => fetches.get(key) === fetch && fetches.delete(key),
	);
	return await fetch.token;
}
