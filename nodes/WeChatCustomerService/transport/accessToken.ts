import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { errcodeFailure, errcodeNumber, failureSummary, tokenEndpointFailure, transportFailure, type WeChatFailure } from '../errors';
import { classifyRequestError } from './classifyError';
import { redactSecrets } from './redact';

export const DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

const APP_ID_PATTERN = /^wx[0-9a-fA-F]{16}$/;
const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** Thrown by the token fetch; carries the failure so the node can route the item by WeChat's errcode. */
export class AccessTokenError extends Error {
	override readonly name = 'WeChatAccessTokenError';

	// The fix first: n8n's credential dialog shows this message only behind "More details".
	constructor(readonly wechatFailure: WeChatFailure) {
		super(`Fix: ${wechatFailure.fix} (Could not get a WeChat access token. ${failureSummary(wechatFailure)})`);
	}
}

export function normalizedBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const configured = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return (configured || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** Problems with the credential's own fields, found without asking WeChat. */
export function credentialFieldsFailure(credentials: ICredentialDataDecryptedObject): WeChatFailure | undefined {
	const appId = String(credentials.appId ?? '').trim();
	if (!APP_ID_PATTERN.test(appId)) {
		return {
			...errcodeFailure(40013, ''),
			errcode: null,
			meaning: `The credential's AppID ${appId ? `"${appId}" ` : ''}is not "wx" followed by 16 hexadecimal characters.`,
		};
	}
	if (!String(credentials.appSecret ?? '')) {
		return { ...errcodeFailure(40125, ''), errcode: null, meaning: "The credential's AppSecret is empty." };
	}
	if (!/^https?:\/\/[^\s/]+/i.test(normalizedBaseUrl(credentials))) {
		return {
			...transportFailure('unreachable', ''),
			meaning: `The credential's Base URL "${String(credentials.baseUrl)}" is not an http(s) URL.`,
			fix: `Use ${DEFAULT_BASE_URL}, a regional host such as https://sh.api.weixin.qq.com, or your forwarding proxy's URL.`,
		};
	}
	return undefined;
}

/** A token as WeChat issued it, with what it was fetched for. */
export interface TokenGrant {
	token: string;
	/** When WeChat said it expires, in ms since the epoch. */
	expiresAt: number;
	/** AppID, Base URL and endpoint it was fetched with: a token acts on the account it was issued for. */
	origin: string;
	/** Whether getting it took `force_refresh`, which invalidated the previous token for every system on the AppID. */
	forcedRefresh: boolean;
}

/** WeChat's stable token is renewed in its last 5 minutes: a token that close to its end is not sent again. */
export const TOKEN_RENEWAL_MARGIN_MS = 5 * 60_000;

/** WeChat ignores a forced refresh less than 30 s after the previous one, and allows 20 a day. */
const FORCED_REFRESH_INTERVAL_MS = 30_000;
const lastForcedRefresh = new Map<string, number>();

/** What a token fetched with these credential fields is for, as stored beside it. */
export function tokenOrigin(credentials: ICredentialDataDecryptedObject): string {
	const endpoint = credentials.tokenEndpoint === 'classic' ? 'classic' : 'stable';
	return `${String(credentials.appId ?? '').trim()} ${normalizedBaseUrl(credentials)} ${endpoint}`;
}

/**
 * Whether the stored token may be sent: fetched for the AppID, Base URL and endpoint the credential holds now
 * (unknown counts as not), and not within WeChat's renewal margin of the expiry it gave.
 */
export function storedTokenUsable(credentials: ICredentialDataDecryptedObject, nowMs: number): boolean {
	if (typeof credentials.accessToken !== 'string' || credentials.accessToken === '') return false;
	if (credentials.accessTokenOrigin !== tokenOrigin(credentials)) return false;
	const expiresAt = Number(credentials.accessTokenExpiresAt);
	return Number.isFinite(expiresAt) && expiresAt - nowMs > TOKEN_RENEWAL_MARGIN_MS;
}

/**
 * Asks WeChat for an access token. With the stable endpoint, a token equal to the one the API just refused means
 * WeChat's own current token is refused: only then is `force_refresh` worth it, and at most once per 30 s per
 * AppID in this process (WeChat ignores it sooner, and it invalidates the token for every system on the AppID).
 */
export async function fetchAccessToken(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
	nowMs: () => number = Date.now,
): Promise<TokenGrant> {
	const fieldsFailure = credentialFieldsFailure(credentials);
	if (fieldsFailure) throw new AccessTokenError(fieldsFailure);
	const origin = tokenOrigin(credentials);
	const grant = (answer: { token: string; expiresInSeconds: number }, forcedRefresh: boolean): TokenGrant => ({
		token: answer.token,
		expiresAt: nowMs() + answer.expiresInSeconds * 1000,
		origin,
		forcedRefresh,
	});
	if (credentials.tokenEndpoint === 'classic') return grant(await requestToken(httpRequest, credentials, classicTokenRequest), false);
	const current = await requestToken(httpRequest, credentials, stableTokenRequest(false));
	const refused = credentials.refusedAccessToken;
	const appId = String(credentials.appId).trim();
	const forcedBefore = lastForcedRefresh.get(appId);
	if (typeof refused !== 'string' || refused === '' || refused !== current.token) return grant(current, false);
	if (forcedBefore !== undefined && nowMs() - forcedBefore < FORCED_REFRESH_INTERVAL_MS) return grant(current, false);
	// Only the last 30 s matter: forgetting older entries keeps this to the AppIDs forced in that window.
	for (const [forcedAppId, at] of lastForcedRefresh) if (nowMs() - at >= FORCED_REFRESH_INTERVAL_MS) lastForcedRefresh.delete(forcedAppId);
	lastForcedRefresh.set(appId, nowMs());
	return grant(await requestToken(httpRequest, credentials, stableTokenRequest(true)), true);
}

type TokenRequestBuilder = (credentials: ICredentialDataDecryptedObject) => IHttpRequestOptions;

function classicTokenRequest(credentials: ICredentialDataDecryptedObject): IHttpRequestOptions {
	return {
		method: 'GET',
		url: `${normalizedBaseUrl(credentials)}/cgi-bin/token`,
		qs: { grant_type: 'client_credential', appid: String(credentials.appId).trim(), secret: credentials.appSecret },
	};
}

function stableTokenRequest(forceRefresh: boolean): TokenRequestBuilder {
	return (credentials) => ({
		method: 'POST',
		url: `${normalizedBaseUrl(credentials)}/cgi-bin/stable_token`,
		body: {
			grant_type: 'client_credential',
			appid: String(credentials.appId).trim(),
			secret: credentials.appSecret,
			force_refresh: forceRefresh,
		},
	});
}

/** WeChat documents 7200 s; an answer without a usable expires_in is taken to live that long. */
const DOCUMENTED_TOKEN_LIFETIME_SECONDS = 7200;

async function requestToken(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
	build: TokenRequestBuilder,
): Promise<{ token: string; expiresInSeconds: number }> {
	let answer: unknown;
	// The request error holds the URL and body, and with them the AppSecret: keep only what it says went wrong.
	let requestFailure: WeChatFailure | undefined;
	try {
		answer = await httpRequest({ ...build(credentials), json: true, timeout: TOKEN_REQUEST_TIMEOUT_MS });
	} catch (error) {
		requestFailure = classifyRequestError(error);
	}
	if (requestFailure) {
		throw new AccessTokenError({
			...requestFailure,
			errmsg: redactSecrets(requestFailure.errmsg, [credentials.appSecret]),
		});
	}
	const body = (answer && typeof answer === 'object' && !Array.isArray(answer) ? answer : {}) as Record<string, unknown>;
	if (typeof body.access_token === 'string' && body.access_token) {
		const expiresIn = Number(body.expires_in);
		return { token: body.access_token, expiresInSeconds: expiresIn > 0 ? expiresIn : DOCUMENTED_TOKEN_LIFETIME_SECONDS };
	}
	const errcode = errcodeNumber(body.errcode);
	if (errcode !== undefined && errcode !== 0) {
		throw new AccessTokenError(tokenEndpointFailure(errcode, typeof body.errmsg === 'string' ? redactSecrets(body.errmsg, [credentials.appSecret]) : ''));
	}
	// Never the body itself: a token endpoint's answer that cannot be read may still hold a token.
	throw new AccessTokenError({
		...transportFailure('unreadable answer', describeUnreadableTokenAnswer(answer)),
		meaning: 'The token endpoint answered with something that is not the JSON WeChat documents, so no token could be read.',
		fix: "Check that the credential's Base URL is WeChat's, or a proxy that passes WeChat's answers on unchanged, then run again.",
	});
}

function describeUnreadableTokenAnswer(answer: unknown): string {
	if (typeof answer === 'string') return `the token endpoint answered ${answer.length} characters that are not the JSON WeChat documents (not shown: they may hold a token)`;
	if (answer && typeof answer === 'object') return `the token endpoint answered JSON without access_token or errcode (fields: ${Object.keys(answer).filter((key) => /^[a-z_]{1,30}$/.test(key)).join(', ') || 'none'})`;
	return 'the token endpoint answered an empty body';
}
