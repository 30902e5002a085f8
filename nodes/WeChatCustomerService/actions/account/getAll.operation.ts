import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { wechatApiRequest } from '../../transport';
import type { WeChatFailure } from '../../errors';
import type { ItemOutcome, OperationContext } from '../types';

export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
	},
	{
		displayName: 'Include Online Status',
		name: 'includeOnlineStatus',
		type: 'boolean',
		default: false,
		description:
			'Whether to add each account\'s online status from WeChat\'s online list: online, status (1 = web client) and accepted_case (sessions in progress)',
		displayOptions,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ session, retryPolicy, onRetry }: OperationContext,
): Promise<ItemOutcome> {
	const list = await fetchAccountList({ session, retryPolicy, onRetry });
	if ('failure' in list) return list;
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const accounts = list.accounts.slice(0, limit);
	if (!(this.getNodeParameter('includeOnlineStatus', itemIndex) as boolean)) return { json: accounts };

	const online = await wechatApiRequest(
		session,
		{ method: 'GET', path: '/cgi-bin/customservice/getonlinekflist', expectErrcode: false },
		retryPolicy,
		onRetry,
	);
	if (!online.ok) return { failure: online.failure };
	const onlineByAccount = new Map(
		(Array.isArray(online.body.kf_online_list) ? (online.body.kf_online_list as IDataObject[]) : []).map((entry) => [
			entry.kf_account,
			entry,
		]),
	);
	return {
		json: accounts.map((account) => {
			const status = onlineByAccount.get(account.kf_account);
			return {
				...account,
				online: status !== undefined,
				status: status?.status ?? 0,
				accepted_case: status?.accepted_case ?? 0,
			};
		}),
	};
}

/** GET /cgi-bin/customservice/getkflist: every account, with kf_wx once bound or the pending invitation. */
export async function fetchAccountList({
	session,
	retryPolicy,
	onRetry,
}: Pick<OperationContext, 'session' | 'retryPolicy' | 'onRetry'>): Promise<{ accounts: IDataObject[] } | { failure: WeChatFailure }> {
	const list = await wechatApiRequest(
		session,
		{ method: 'GET', path: '/cgi-bin/customservice/getkflist', expectErrcode: false },
		retryPolicy,
		onRetry,
	);
	if (!list.ok) return { failure: list.failure };
	return { accounts: Array.isArray(list.body.kf_list) ? (list.body.kf_list as IDataObject[]) : [] };
}
