import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { failureMessage, type WeChatFailure } from '../errors';
import { forEachConcurrently } from '../helpers/concurrency';
import { AccessTokenSession } from '../transport';
import { credentialFieldsFailure, normalizedBaseUrl } from '../transport/accessToken';
import { redactSecrets } from '../transport/redact';
import * as account from './account/Account.resource';
import { MAX_CONCURRENCY, type SharedOptions } from './options';
import type { ItemOutcome, OperationContext, OperationExecute } from './types';

const operations: Record<string, Record<string, OperationExecute>> = {
	account: {
		uploadAvatar: account.uploadAvatar.execute,
	},
};

const FIELD_NAMES: Record<string, string> = {
	kfAccount: 'Customer Service Account',
	binaryPropertyName: 'Binary Property',
};

interface ItemFailure {
	itemIndex: number;
	failure: WeChatFailure;
	subject: IDataObject;
}

/** Runs the chosen operation for every item and gives each input item exactly one output item, paired to it. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	const options = this.getNodeParameter('options', 0, {}) as SharedOptions;
	const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(options.concurrency ?? 1)));
	const session = await AccessTokenSession.open(this, normalizedBaseUrl, options.timeoutMs ?? 30_000);
	const context: OperationContext = {
		session,
		retryPolicy: { maxRetries: options.maxRetries ?? 3, retryDelayMs: options.retryDelayMs ?? 1000 },
		onRetry: (failure, retry, delayMs) =>
			this.logger.warn(
				`WeChat Customer Service: ${failureMessage(failure).split(' Fix:')[0]} Retry ${retry} of ${options.maxRetries ?? 3} in ${delayMs} ms.`,
			),
	};
	const credentialFailure = credentialFieldsFailure(session.credentialFields());

	const results: INodeExecutionData[] = new Array(items.length);
	const failures: ItemFailure[] = [];
	const stopOnFailure = !this.continueOnFail();
	await forEachConcurrently(
		items.length,
		concurrency,
		async (itemIndex) => {
			const outcome: ItemOutcome = credentialFailure
				? { failure: credentialFailure }
				: await runItem.call(this, execute, itemIndex, context, session);
			if ('json' in outcome) {
				results[itemIndex] = { json: outcome.json, pairedItem: { item: itemIndex } };
				return;
			}
			const failed = { itemIndex, failure: outcome.failure, subject: outcome.subject ?? {} };
			if (stopOnFailure) failures.push(failed);
			else results[itemIndex] = failureItem(failed);
		},
		() => stopOnFailure && failures.length > 0,
	);
	if (failures.length) throw stopError.call(this, firstFailure(failures));
	return [results];
}

async function runItem(
	this: IExecuteFunctions,
	execute: OperationExecute,
	itemIndex: number,
	context: OperationContext,
	session: AccessTokenSession,
): Promise<ItemOutcome> {
	try {
		return await execute.call(this, itemIndex, context);
	} catch (error) {
		const message = redactSecrets(error instanceof Error ? error.message : String(error), session.secrets());
		return {
			failure: {
				errcode: null,
				errmsg: message,
				category: 'other',
				meaning: message,
				fix: "Check the node's parameters and the item's data.",
				retryable: false,
			},
		};
	}
}

function describeItem({ itemIndex, failure, subject }: ItemFailure): string {
	const field = failure.field ? `, ${FIELD_NAMES[failure.field] ?? failure.field}` : '';
	const account = typeof subject.kfAccount === 'string' && subject.kfAccount ? ` (${subject.kfAccount})` : '';
	return `Item ${itemIndex}${account}${field}: ${failureMessage(failure)}`;
}

/** Shaped so that n8n's error output keeps every field on n8n 1.x and 2.x: only `error` and `message` at the top. */
function failureItem(failed: ItemFailure): INodeExecutionData {
	return {
		json: { error: { ...failed.failure, ...failed.subject }, message: describeItem(failed) },
		pairedItem: { item: failed.itemIndex },
	};
}

function firstFailure(failures: ItemFailure[]): ItemFailure {
	return failures.reduce((first, next) => (next.itemIndex < first.itemIndex ? next : first));
}

function stopError(this: IExecuteFunctions, failed: ItemFailure): Error {
	const { itemIndex, failure } = failed;
	const description = failure.errmsg ? `WeChat said: ${failure.errmsg}` : undefined;
	if (failure.field) {
		return new NodeOperationError(this.getNode(), describeItem(failed), { itemIndex, description });
	}
	return new NodeApiError(this.getNode(), { errcode: failure.errcode, errmsg: failure.errmsg } as JsonObject, {
		message: describeItem(failed),
		description,
		itemIndex,
	});
}
