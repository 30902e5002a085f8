import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { failureMessage, failureSummary, type WeChatFailure } from '../errors';
import { ByteBudget } from '../helpers/byteBudget';
import { forEachConcurrently } from '../helpers/concurrency';
import { redactSecrets } from '../transport/redact';
import { openSessions } from './authentication';
import { MAX_CONCURRENCY, type SharedOptions } from './options';
import type { ItemOutcome, OperationContext, OperationExecute } from './types';

/**
 * One 5 MB image at a time, two of 3 MB, any number of small ones up to Concurrency: each is held twice while it is
 * sent (the file and its multipart body). A second 5 MB image in flight made n8n's RSS grow by about 100 MB instead
 * of 15–30 MB, for about a tenth less time per item (measured in README).
 */
const IMAGE_BYTES_IN_FLIGHT = 8 * 1024 * 1024;

/** What a node version routes by: its operations under their resource and operation values, and its auth values. */
export interface VersionRouting {
	operations: Record<string, Record<string, OperationExecute>>;
	workflowTokenMode: string;
}

const FIELD_NAMES: Record<string, string> = {
	kfAccount: 'Customer Service Account',
	binaryPropertyName: 'Binary Property',
	imageUrl: 'Image URL',
	nickname: 'Nickname',
	inviteWx: 'WeChat ID',
	accessToken: 'Access Token',
};

interface ItemFailure {
	itemIndex: number;
	failure: WeChatFailure;
	subject: IDataObject;
}

/**
 * Runs the chosen operation for every item. Each input item gives its output items (one, or one per account
 * listed) or exactly one failure item, all paired to it, in input order.
 */
export async function router(this: IExecuteFunctions, version: VersionRouting): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = version.operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	const options = this.getNodeParameter('options', 0, {}) as SharedOptions;
	const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(options.concurrency ?? 1)));
	const sessionFor = await openSessions(this, options.timeoutMs ?? 30_000, version.workflowTokenMode);
	const retryPolicy = {
		maxRetries: options.maxRetries ?? 3,
		retryDelayMs: options.retryDelayMs ?? 1000,
		cancelSignal: this.getExecutionCancelSignal?.(),
	};
	const shared: Omit<OperationContext, 'session'> = {
		retryPolicy,
		download: { timeoutMs: options.timeoutMs ?? 30_000, cancelSignal: retryPolicy.cancelSignal },
		imageBytes: new ByteBudget(IMAGE_BYTES_IN_FLIGHT),
		onRetry: (failure, retry, delayMs) =>
			this.logger.warn(
				`WeChat Customer Service: ${failureSummary(failure)} Retry ${retry} of ${retryPolicy.maxRetries} in ${delayMs} ms.`,
			),
	};

	const results: INodeExecutionData[][] = new Array(items.length);
	const failures: ItemFailure[] = [];
	// As an AI agent's tool (n8n names that node type "<type>Tool"), a failure is an answer the agent reads and can
	// act on; an error thrown would end the agent's run instead.
	const runsAsTool = this.getNode().type.endsWith('Tool');
	const stopOnFailure = !this.continueOnFail() && !runsAsTool;
	await forEachConcurrently(
		items.length,
		concurrency,
		async (itemIndex) => {
			const session = sessionFor(itemIndex);
			const outcome: ItemOutcome =
				'send' in session
					? await runItem.call(this, execute, itemIndex, { ...shared, session })
					: { failure: session };
			if ('json' in outcome) {
				const outputs = Array.isArray(outcome.json) ? outcome.json : [outcome.json];
				const input = options.includeInputFields ? withoutSecrets(items[itemIndex].json, 'send' in session ? session.secrets() : []) : {};
				results[itemIndex] = outputs.map((json) => ({ json: { ...input, ...json }, pairedItem: { item: itemIndex } }));
				return;
			}
			const failed = { itemIndex, failure: outcome.failure, subject: outcome.subject ?? {} };
			if (stopOnFailure) failures.push(failed);
			else results[itemIndex] = [failureItem(failed)];
		},
		() => (stopOnFailure && failures.length > 0) || retryPolicy.cancelSignal?.aborted === true,
	);
	if (failures.length) throw stopError.call(this, firstFailure(failures));
	return [results.flat()];
}

async function runItem(
	this: IExecuteFunctions,
	execute: OperationExecute,
	itemIndex: number,
	context: OperationContext,
): Promise<ItemOutcome> {
	try {
		return await execute.call(this, itemIndex, context);
	} catch (error) {
		const message = redactSecrets(error instanceof Error ? error.message : String(error), context.session.secrets());
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

/** An input item's fields to copy to its output, with any token or AppSecret it holds (a token from the workflow) masked. */
function withoutSecrets(json: IDataObject, secrets: unknown[]): IDataObject {
	return JSON.parse(redactSecrets(JSON.stringify(json), secrets)) as IDataObject;
}

function describeItem({ itemIndex, failure, subject }: ItemFailure): string {
	const field = failure.field ? `, ${FIELD_NAMES[failure.field] ?? failure.field}` : '';
	const account = typeof subject.kfAccount === 'string' && subject.kfAccount ? ` (${subject.kfAccount})` : '';
	const step = typeof subject.step === 'string' ? `, step "${subject.step}"` : '';
	// Counted from 1, as n8n's panels count items.
	return `Item ${itemIndex + 1}${account}${step}${field}: ${failureMessage(failure)}`;
}

/**
 * Shaped so that n8n's error output keeps every field on n8n 1.x and 2.x: only `error` and `message` at the top.
 * `field` names the parameter as the panel shows it; `parameter` is its internal name, for expressions.
 */
function failureItem(failed: ItemFailure): INodeExecutionData {
	const { field, ...failure } = failed.failure;
	const named = field ? { field: FIELD_NAMES[field] ?? field, parameter: field } : {};
	return {
		json: { error: { ...failure, ...named, ...failed.subject }, message: describeItem(failed) },
		pairedItem: { item: failed.itemIndex },
	};
}

function firstFailure(failures: ItemFailure[]): ItemFailure {
	return failures.reduce((first, next) => (next.itemIndex < first.itemIndex ? next : first));
}

/**
 * The message names the item, counted from 1. No itemIndex: n8n's editor would append its own "[item N]",
 * counted from 0, to the same message.
 */
function stopError(this: IExecuteFunctions, failed: ItemFailure): Error {
	const { failure } = failed;
	const description = failure.errmsg ? `WeChat said: ${failure.errmsg}` : undefined;
	if (failure.field) {
		return new NodeOperationError(this.getNode(), describeItem(failed), { description });
	}
	return new NodeApiError(this.getNode(), { errcode: failure.errcode, errmsg: failure.errmsg } as JsonObject, {
		message: describeItem(failed),
		description,
	});
}
