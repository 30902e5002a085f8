import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { httpRequestOptions, type SentRequest, type TokenSession, type WeChatRequest } from './types';

/**
 * Sends with an access token the workflow gives (a token service's, or a third-party platform's
 * authorizer_access_token). The token belongs to whoever issued it, so a stale one is reported, never refreshed.
 */
export class GivenTokenSession implements TokenSession {
	constructor(
		private readonly context: IExecuteFunctions,
		private readonly accessToken: string,
		private readonly baseUrl: string,
		private readonly timeoutMs: number,
	) {}

	async send(request: WeChatRequest): Promise<SentRequest> {
		const options = httpRequestOptions(request, this.baseUrl, this.timeoutMs);
		options.qs = { ...options.qs, access_token: this.accessToken };
		try {
			const response = (await this.context.helpers.httpRequest(options)) as IN8nHttpFullResponse;
			return { response, accessToken: this.accessToken };
		} catch (error) {
			return { error, accessToken: this.accessToken };
		}
	}

	async replaceStaleToken(): Promise<boolean> {
		return false;
	}

	secrets(): unknown[] {
		return [this.accessToken];
	}
}
