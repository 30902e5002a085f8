import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { MultipartBody } from './multipart';

export interface WeChatRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** Built for every attempt, so a retry never resends a consumed body. */
	multipart?: () => MultipartBody;
	/** Answers of the upload and write endpoints always carry an errcode; lists do not. */
	expectErrcode: boolean;
	/**
	 * For a call that changes WeChat's state: the errcode that says the change is already made ("account exists").
	 * After an attempt whose answer was lost (timeout, reset, 5xx), that answer to a retry means the lost attempt
	 * did it.
	 */
	alreadyDoneErrcode?: number;
}

export interface SentRequest {
	response?: IN8nHttpFullResponse;
	error?: unknown;
	accessToken: string;
}

/** Where a request's access token comes from: the stored credential, or a token the workflow gives. */
export interface TokenSession {
	send(request: WeChatRequest): Promise<SentRequest>;
	/** Replaces a token WeChat called stale; false when this session cannot get another one. */
	replaceStaleToken(staleToken: string): Promise<boolean>;
	/** Values that must never appear in an output or a log line. */
	secrets(): unknown[];
}

/** The request as n8n's helpers take it; the token is added by whoever sends it. */
export function httpRequestOptions(request: WeChatRequest, baseUrl: string, timeoutMs: number): IHttpRequestOptions {
	const multipart = request.multipart?.();
	return {
		method: request.method,
		baseURL: baseUrl,
		url: request.path,
		qs: request.qs,
		body: multipart?.body ?? request.body,
		...(multipart ? { headers: { 'Content-Type': multipart.contentType } } : {}),
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
	};
}
