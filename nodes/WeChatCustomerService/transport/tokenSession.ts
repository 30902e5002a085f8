import type { ICredentialDataDecryptedObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { storedTokenUsable, tokenOrigin, type TokenGrant } from './accessToken';
import { carriedFailure } from './classifyError';
import { nextTokenFetch } from './sharedTokenFetch';
import { httpRequestOptions, type SentRequest, type TokenSession, type WeChatRequest } from './types';

export const CREDENTIAL_TYPE = 'wechatOfficialAccountApi';

/**
 * Holds the credential for one execution and shares its access token among all items.
 *
 * The credential is read once and handed to n8n with every request, and n8n's preAuthentication writes a fetched
 * token into that same object and into the stored credential. A stored token is sent only while the credential
 * still holds the AppID, Base URL and endpoint it was fetched for, and not in the last minutes before the expiry
 * WeChat gave. A request that has to fetch a token goes first; the others wait for that token fetch (not for the
 * request around it), so a batch costs one token fetch whatever its size or concurrency, and a token WeChat calls
 * stale is replaced once, by the first item to see it, while the others wait for that replacement.
 */
/** A token being fetched or re-read, which other items wait for; `failure` when the fetch brought none. */
interface TokenChange {
	done: Promise<void>;
	failure?: unknown;
}

export class AccessTokenSession implements TokenSession {
	private tokenChange: TokenChange | undefined;

	/** A token fetch WeChat refused for good (wrong AppSecret, IP not whitelisted): asking again per item only burns quota. */
	private tokenRefusal: unknown;

	/** The token this session fetched itself: sent until it expires, even inside the renewal margin, so it is not fetched per item. */
	private fetchedToken: string | undefined;

	private constructor(
		private readonly context: IExecuteFunctions,
		private readonly reference: { id: string; name: string },
		private credentials: ICredentialDataDecryptedObject,
		private readonly baseUrl: string,
		private readonly timeoutMs: number,
	) {}

	static async open(context: IExecuteFunctions, baseUrl: (c: ICredentialDataDecryptedObject) => string, timeoutMs: number) {
		const credentials = withTokenField(await context.getCredentials(CREDENTIAL_TYPE));
		const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
		return new AccessTokenSession(
			context,
			{ id: reference?.id ?? '', name: reference?.name ?? '' },
			credentials,
			baseUrl(credentials),
			timeoutMs,
		);
	}

	secrets(): unknown[] {
		return [this.credentials.appSecret, this.credentials.accessToken];
	}

	credentialFields(): ICredentialDataDecryptedObject {
		return this.credentials;
	}

	async send(request: WeChatRequest): Promise<SentRequest> {
		for (;;) {
			if (this.tokenRefusal) return { error: this.tokenRefusal, accessToken: '' };
			const change = this.tokenChange;
			if (change) {
				await change.done;
				// A failed fetch answers the items that waited for it: each then retries on its own backoff.
				if (change.failure !== undefined) return { error: change.failure, accessToken: '' };
				continue;
			}
			const credentials = this.credentials;
			if (this.tokenUsable(credentials)) {
				const accessToken = credentials.accessToken as string;
				return { ...(await this.attempt(request, credentials)), accessToken };
			}
			// An empty token makes n8n run the credential's preAuthentication for this request.
			const fetching: ICredentialDataDecryptedObject = { ...credentials, accessToken: '' };
			const fetched = nextTokenFetch(fetching);
			const tokenChange: TokenChange = { done: Promise.resolve() };
			const sending = this.attempt(request, fetching).then((sent) => {
				const tokenFailure = sent.error ? carriedFailure(sent.error) : undefined;
				if (tokenFailure && !tokenFailure.retryable) this.tokenRefusal = sent.error;
				if (tokenFailure) tokenChange.failure = sent.error;
				return sent;
			});
			// Waiting items go on once the token is there; after a failed fetch, once this item knows why.
			const tokenArrived = fetched.ended.then((grant) => grant ?? sending.then(() => undefined));
			tokenChange.done = Promise.race([tokenArrived, sending.then(() => undefined)]).then((grant) => {
				fetched.cancel();
				this.takeFetchedToken(fetching, grant);
				this.tokenChange = undefined;
			});
			this.tokenChange = tokenChange;
			const sent = await sending;
			await tokenChange.done;
			return { ...sent, accessToken: String(fetching.accessToken ?? '') };
		}
	}

	/**
	 * WeChat called `staleToken` stale. Unless it was replaced meanwhile, take the stored credential if another
	 * execution or worker has saved a newer token there for the same account, or else have the next request fetch one.
	 */
	async replaceStaleToken(staleToken: string): Promise<boolean> {
		while (this.tokenChange) await this.tokenChange.done;
		if (this.credentials.accessToken !== staleToken) return true;
		const rereading: TokenChange = {
			done: this.readStoredToken(staleToken).then(() => {
				this.tokenChange = undefined;
			}),
		};
		this.tokenChange = rereading;
		await rereading.done;
		return true;
	}

	private tokenUsable(credentials: ICredentialDataDecryptedObject): boolean {
		const now = Date.now();
		if (credentials.accessToken && credentials.accessToken === this.fetchedToken) return Number(credentials.accessTokenExpiresAt) > now;
		return storedTokenUsable(credentials, now);
	}

	private takeFetchedToken(fetching: ICredentialDataDecryptedObject, grant: TokenGrant | undefined): void {
		const fetched: ICredentialDataDecryptedObject = grant
			? { ...fetching, accessToken: grant.token, accessTokenOrigin: grant.origin, accessTokenExpiresAt: String(grant.expiresAt), refusedAccessToken: '' }
			: fetching;
		if (grant?.forcedRefresh) {
			this.context.logger.warn(
				`WeChat Customer Service: WeChat refused the stable access token it had just handed out, so the node asked for a new one with force_refresh (AppID ${String(fetching.appId)}). This invalidates the previous token for every system using this AppID; WeChat allows it 20 times a day.`,
			);
		}
		if (!fetched.accessToken) return;
		this.credentials = fetched;
		this.fetchedToken = String(fetched.accessToken);
	}

	private async readStoredToken(staleToken: string): Promise<void> {
		let stored: ICredentialDataDecryptedObject | undefined;
		try {
			stored = withTokenField(await this.context.getCredentials(CREDENTIAL_TYPE));
		} catch {
			stored = undefined;
		}
		this.credentials =
			stored &&
			stored.accessToken !== staleToken &&
			tokenOrigin(stored) === tokenOrigin(this.credentials) &&
			storedTokenUsable(stored, Date.now())
				? stored
				: { ...this.credentials, accessToken: '', refusedAccessToken: staleToken };
	}

	private async attempt(
		request: WeChatRequest,
		credentials: ICredentialDataDecryptedObject,
	): Promise<Omit<SentRequest, 'accessToken'>> {
		try {
			const response = (await this.context.helpers.httpRequestWithAuthentication.call(
				this.context,
				CREDENTIAL_TYPE,
				httpRequestOptions(request, this.baseUrl, this.timeoutMs),
				{ credentialsDecrypted: { ...this.reference, type: CREDENTIAL_TYPE, data: credentials } },
			)) as IN8nHttpFullResponse;
			return { response };
		} catch (error) {
			return { error };
		}
	}
}

/** n8n runs preAuthentication only when the token field is an empty string, not when it is missing. */
function withTokenField(credentials: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return { ...credentials, accessToken: typeof credentials.accessToken === 'string' ? credentials.accessToken : '' };
}
