import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { errcodeTable } from '../nodes/WeChatCustomerService/errors';
import { DEFAULT_BASE_URL, fetchAccessToken } from '../nodes/WeChatCustomerService/transport/accessToken';
import { sharedTokenFetch } from '../nodes/WeChatCustomerService/transport/sharedTokenFetch';

/** Errcodes the test request (listing the kf accounts) can meet once a token was fetched. */
const TEST_REQUEST_ERRCODES = [48001, 48004, 65400, 45009, 45011, 40001];

/** What the Test button says when WeChat issued a token but listing the accounts with it failed: the fix first. */
function testFailureMessage(errcode: number): string {
	const { meaning, fix } = errcodeTable[errcode];
	if (errcode === 40001) {
		return `Fix: check that no other system fetches tokens for this AppID with the classic endpoint, and that the AppSecret is current. WeChat issued a token but refused it when listing customer-service accounts (errcode 40001: ${meaning})`;
	}
	return `Fix: ${fix} The AppID and AppSecret are right (WeChat issued a token), but listing customer-service accounts failed with errcode ${errcode}: ${meaning}`;
}

// Declared apart from the list: the community lint takes any field named "…token…" for a secret, but this one
// only chooses an endpoint.
const tokenEndpointProperty: INodeProperties = {
	displayName: 'Token Endpoint',
	name: 'tokenEndpoint',
	type: 'options',
	default: 'stable',
	options: [
		{
			name: 'Stable (Recommended)',
			value: 'stable',
			description:
				'POST /cgi-bin/stable_token: returns the current token while it is valid, so other systems using this AppID keep working',
		},
		{
			name: 'Classic',
			value: 'classic',
			description:
				'GET /cgi-bin/token: every fetch mints a new token and kills the previous one after 5 minutes, including tokens other systems use',
		},
	],
};

export class WeChatOfficialAccountApi implements ICredentialType {
	name = 'wechatOfficialAccountApi';

	// n8n names a new credential after this, less "API", plus "account": "WeChat Official Accounts Platform account",
	// the login WeChat's platform (mp.weixin.qq.com) gives, rather than "WeChat Official Account account".
	displayName = 'WeChat Official Accounts Platform API';

	icon: Icon = { light: 'file:../nodes/WeChatCustomerService/wechat.svg', dark: 'file:../nodes/WeChatCustomerService/wechat.dark.svg' };

	// This package's usage docs (its README, as npm shows it), not WeChat's API reference.
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-wechat-customer-service#credential-wechat-official-accounts-platform-api';

	// Offered in the HTTP Request node (Predefined Credential Type), which then sends the same stored token. It does
	// not turn a WeChat errcode into a failure: WeChat answers refusals with HTTP 200.
	httpRequestNode = {
		name: 'WeChat Official Account',
		docsUrl: 'https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Overview.html',
		apiBaseUrlPlaceholder: `${DEFAULT_BASE_URL}/cgi-bin/`,
	};

	properties: INodeProperties[] = [
		{
			displayName: 'AppID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wx followed by 16 letters and digits',
			description:
				'The AppID of the Official Account: "wx" followed by 16 characters (Settings and Development > Basic Configuration)',
		},
		{
			displayName: 'AppSecret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The AppSecret from Settings and Development > Basic Configuration',
		},
		tokenEndpointProperty,
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			placeholder: DEFAULT_BASE_URL,
			description:
				'WeChat API host: https://api.weixin.qq.com (general), https://api2.weixin.qq.com (disaster recovery), https://sh.api.weixin.qq.com (Shanghai), https://sz.api.weixin.qq.com (Shenzhen), https://hk.api.weixin.qq.com (Hong Kong), or the URL of a forwarding proxy with a fixed, whitelisted IP',
		},
		{
			displayName:
				'This Base URL uses plain HTTP: the AppSecret and access tokens travel unencrypted. Use https unless it is a proxy or emulator on a trusted network.',
			name: 'plainHttpNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { baseUrl: [{ _cnd: { startsWith: 'http://' } }] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		// Stored beside the token; n8n hands a node only the fields a credential declares.
		{
			displayName: 'Access Token Fetched For',
			name: 'accessTokenOrigin',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Access Token Expires At',
			name: 'accessTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const grant = await sharedTokenFetch(credentials, () => fetchAccessToken(this.helpers.httpRequest, credentials));
		return {
			accessToken: grant.token,
			// Stored beside the token: the node sends it only while the credential still holds what it was fetched
			// for, and not in the last minutes WeChat gives it.
			accessTokenOrigin: grant.origin,
			accessTokenExpiresAt: String(grant.expiresAt),
			// The refused token only steers this one fetch; it must not be stored with the new one.
			refusedAccessToken: '',
		};
	}

	// A function rather than a generic expression: n8n 2.x evaluates expressions in an isolate, once per request.
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		qs: { ...requestOptions.qs, access_token: credentials.accessToken },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl ? $credentials.baseUrl.trim().replace(/\\/+$/, "") : "' + DEFAULT_BASE_URL + '"}}',
			url: '/cgi-bin/customservice/getkflist',
		},
		rules: TEST_REQUEST_ERRCODES.map((errcode) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'errcode', value: errcode, message: testFailureMessage(errcode) },
		})),
	};
}
