import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { WeChatFailure } from '../errors';
import type { AccessTokenSession, RetryLog, RetryPolicy } from '../transport';

/** What every operation gets besides its item: the shared token session and the retry settings. */
export interface OperationContext {
	session: AccessTokenSession;
	retryPolicy: RetryPolicy;
	onRetry: RetryLog;
}

export type ItemOutcome = { json: IDataObject } | { failure: WeChatFailure; subject?: IDataObject };

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
) => Promise<ItemOutcome>;
