import type { INodeProperties } from 'n8n-workflow';

export const MAX_CONCURRENCY = 10;

/** Settings every operation shares: how many items at once, how to retry, how long to wait. */
export interface SharedOptions {
	concurrency?: number;
	includeInputFields?: boolean;
	maxRetries?: number;
	retryDelayMs?: number;
	timeoutMs?: number;
}

export const description: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				default: 1,
				description:
					'How many items to send to WeChat at once (1–10); large images go fewer at a time, at most 8 MB of images at once. Output order and pairing stay those of the input.',
			},
			{
				displayName: 'Include Input Fields',
				name: 'includeInputFields',
				type: 'boolean',
				default: false,
				description:
					"Whether each output item also carries its input item's fields (the node's own fields win on a clash), to match results downstream without $('Node').item",
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description:
					"How often to retry an item when WeChat is busy (errcode -1), answers HTTP 5xx, times out or drops the connection. The per-minute limit (45011) is retried once, after the minute turns; other errcodes never. One item waits at most 90 seconds in all, and retries stop when the execution is cancelled. Unlike n8n's Retry On Fail, which reruns the node for all items, this retries only the items that need it.",
			},
			{
				displayName: 'Retry Delay (Milliseconds)',
				name: 'retryDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1000,
				description: 'Wait before the first retry; it doubles with every further retry',
			},
			{
				displayName: 'Timeout (Milliseconds)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30000,
				description: 'How long to wait for WeChat to answer one request',
			},
		],
	};
