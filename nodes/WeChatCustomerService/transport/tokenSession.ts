import type { ICredentialDataDecryptedObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { carriedFailure } from './classifyError';
import { httpRequestOptions, type SentRequest, type TokenSession, type WeChatRequest } from './types';

export const CREDENTIAL_TYPE = 'wechatOfficialAccountApi';

/**
 * Holds the credential for one execution and shares its access token among all items.
 *
 * The credential is read once and handed to n8n with every request, and n8n's preAuthentication writes a fetched
 * token into that same object and into the stored credential. A request that has to fetch a token goes alone; the
 * others wait for it, so a batch costs one token fetch whatever its size or concurrency, and a token WeChat calls
 * stale is replaced once, by the first item to see it, while the others wait for that replacement.
 */
export class AccessTokenSession implements TokenSession {
	private tokenChange: Promise<void> | undefined;

	/** A token fetch WeChat refused for good (wrong AppSecret, IP not whitelisted): asking again per item only burns quota. */
	private tokenRefusal: unknown;

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
			if (this.tokenChange) {
				await this.tokenChange;
				continue;
			}
			const credentials = this.credentials;
			if (credentials.accessToken) {
				const accessToken = credentials.accessToken as string;
				return { ...(await this.attempt(request, credentials)), accessToken };
			}
			const sending = this.attempt(request, credentials);
			this.tokenChange = sending.then(() => this.settleTokenChange());
			const sent = await sending;
			const tokenFailure = sent.error ? carriedFailure(sent.error) : undefined;
			if (tokenFailure && !tokenFailure.retryable) this.tokenRefusal = sent.error;
			return { ...sent, accessToken: String(credentials.accessToken ?? '') };
		}
	}

	/**
	 * WeChat called `staleToken` stale. Unless it was replaced meanwhile, take the stored credential if another
	 * execution or worker has saved a newer token there, or else have the next request fetch one.
	 */
	async replaceStaleToken(staleToken: string): Promise<boolean> {
		while (this.tokenChange) await this.tokenChange;
		if (this.credentials.accessToken !== staleToken) return true;
		this.tokenChange = this.readStoredToken(staleToken).then(() => this.settleTokenChange());
		await this.tokenChange;
		return true;
	}

	private async readStoredToken(staleToken: string): Promise<void> {
		let stored: ICredentialDataDecryptedObject | undefined;
		try {
			stored = withTokenField(await this.context.getCredentials(CREDENTIAL_TYPE));
		} catch {
			stored = undefined;
		}
		this.credentials =
			stored?.accessToken && stored.accessToken !== staleToken
				? stored
				: { ...this.credentials, accessToken: '', refusedAccessToken: staleToken };
	}

	private settleTokenChange(): void {
		this.tokenChange = undefined;
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
