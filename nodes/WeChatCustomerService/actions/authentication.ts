import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputFailure, type WeChatFailure } from '../errors';
import { AccessTokenSession, GivenTokenSession, type TokenSession } from '../transport';
import { credentialFieldsFailure, DEFAULT_BASE_URL, normalizedBaseUrl } from '../transport/accessToken';

export const CREDENTIAL_MODE = 'appCredential';

/**
 * The Authentication field and the fields of the workflow-token mode, whose value differs by node version:
 * v1 calls it 'givenAccessToken'; v2 'none' (no stored credential), since n8n's editor keeps a field named
 * `authentication` in the panel only when one of its values is 'none', and otherwise hides it in the credential
 * dialog, where a mode without a credential cannot be chosen.
 */
export function properties(workflowTokenMode: string): INodeProperties[] {
	const showForWorkflowToken = { show: { authentication: [workflowTokenMode] } };
	return [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'AppID and AppSecret',
					value: CREDENTIAL_MODE,
					description: 'A WeChat credential fetches, stores and refreshes access tokens itself',
				},
				{
					name: 'Access Token From the Workflow',
					value: workflowTokenMode,
					description:
						"No stored credential: a token an earlier step gives, a token service's or a third-party platform's authorizer_access_token. A stale one is reported, not refreshed.",
				},
			],
			default: CREDENTIAL_MODE,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: '{{ $json.authorizer_access_token }}',
			description: 'The access token to call WeChat with, usually an expression reading it from an earlier step',
			displayOptions: showForWorkflowToken,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: "WeChat API host (or a regional host, or a forwarding proxy's URL)",
			displayOptions: showForWorkflowToken,
		},
	];
}

export type SessionForItem = (itemIndex: number) => TokenSession | WeChatFailure;

/**
 * One token session for the whole execution with the credential; with a token from the workflow, one per item,
 * since each item may carry its own (one per authorizer, say).
 */
export async function openSessions(
	context: IExecuteFunctions,
	timeoutMs: number,
	workflowTokenMode: string,
): Promise<SessionForItem> {
	if (context.getNodeParameter('authentication', 0, CREDENTIAL_MODE) !== workflowTokenMode) {
		const session = await AccessTokenSession.open(context, normalizedBaseUrl, timeoutMs);
		const credentialFailure = credentialFieldsFailure(session.credentialFields());
		return () => credentialFailure ?? session;
	}
	return (itemIndex) => {
		const accessToken = context.getNodeParameter('accessToken', itemIndex);
		if (typeof accessToken !== 'string' || accessToken.trim() === '') {
			return inputFailure(
				'accessToken',
				'Access Token is empty for this item.',
				'Set Access Token to an expression that reads the token from an earlier step, e.g. {{ $json.access_token }}.',
			);
		}
		const baseUrl = normalizedBaseUrl({ baseUrl: context.getNodeParameter('baseUrl', itemIndex, DEFAULT_BASE_URL) as string });
		return new GivenTokenSession(context, accessToken.trim(), baseUrl, timeoutMs);
	};
}
