import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { errcodeFailure, failureMessage, transportFailure, type WeChatFailure } from '../errors';
import { classifyRequestError } from './classifyError';
import { redactSecrets } from './redact';

export const DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

const APP_ID_PATTERN = /^wx[0-9a-fA-F]{16}$/;
const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** Thrown by the token fetch; carries the failure so the node can route the item by WeChat's errcode. */
export class AccessTokenError extends Error {
	override readonly name = 'WeChatAccessTokenError';

	constructor(readonly wechatFailure: WeChatFailure) {
		super(`Could not get a WeChat access token. ${failureMessage(wechatFailure)}`);
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

/**
 * Asks WeChat for an access token. With the stable endpoint, a token equal to the one the API just refused means
 * WeChat's own current token is refused: only then is `force_refresh` worth its strict rate limit.
 */
export async function fetchAccessToken(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const fieldsFailure = credentialFieldsFailure(credentials);
	if (fieldsFailure) throw new AccessTokenError(fieldsFailure);
	if (credentials.tokenEndpoint === 'classic') return await requestToken(httpRequest, credentials, classicTokenRequest);
	const token = await requestToken(httpRequest, credentials, stableTokenRequest(false));
	const refused = credentials.refusedAccessToken;
	if (typeof refused === 'string' && refused !== '' && refused === token) {
		return await requestToken(httpRequest, credentials, stableTokenRequest(true));
	}
	return token;
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

async function requestToken(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
	build: TokenRequestBuilder,
): Promise<string> {
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
	const body = (answer && typeof answer === 'object' ? answer : {}) as Record<string, unknown>;
	if (typeof body.access_token === 'string' && body.access_token) return body.access_token;
	if (typeof body.errcode === 'number') {
		throw new AccessTokenError(errcodeFailure(body.errcode, String(body.errmsg ?? '')));
	}
	throw new AccessTokenError(
		transportFailure('unreadable answer', redactSecrets(JSON.stringify(answer ?? null).slice(0, 300), [credentials.appSecret])),
	);
}
