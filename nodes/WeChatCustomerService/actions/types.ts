import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { WeChatFailure } from '../errors';
import type { ByteBudget } from '../helpers/byteBudget';
import type { RetryLog, RetryPolicy, TokenSession } from '../transport';

/** What every operation gets besides its item: the shared token session and the retry settings. */
export interface OperationContext {
	session: TokenSession;
	retryPolicy: RetryPolicy;
	onRetry: RetryLog;
	/** For images the node downloads: the Timeout option, and the execution's cancel signal. */
	download: { timeoutMs: number; cancelSignal?: AbortSignal };
	/** The bytes of images the execution may hold at once, across the items in flight. */
	imageBytes: ByteBudget;
}

/** An item's result: its output (several for a list), or why it failed and what it was about. */
export type ItemOutcome = { json: IDataObject | IDataObject[] } | { failure: WeChatFailure; subject?: IDataObject };

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
) => Promise<ItemOutcome>;
