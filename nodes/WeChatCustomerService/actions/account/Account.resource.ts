import type { INodePropertyOptions } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteAccount from './delete.operation';
import * as ensure from './ensure.operation';
import * as getAll from './getAll.operation';
import * as inviteWorker from './inviteWorker.operation';
import * as update from './update.operation';

export { create, deleteAccount as delete, ensure, getAll, inviteWorker, update };

/** The account lifecycle, as v1's Operation list offers it (the editor lists actions in this order). */
export const operationOptions: INodePropertyOptions[] = [
	{
		name: 'Create',
		value: 'create',
		description: 'Add a customer-service account',
		action: 'Create a customer service account',
	},
	{
		name: 'Delete',
		value: 'delete',
		description: 'Delete a customer-service account',
		action: 'Delete a customer service account',
	},
	{
		name: 'Get Many',
		value: 'getAll',
		description: 'List the customer-service accounts, optionally with their online status',
		action: 'Get many customer service accounts',
	},
	{
		name: 'Invite Worker',
		value: 'inviteWorker',
		description: "Invite an agent's WeChat to operate a customer-service account",
		action: 'Invite a worker to a customer service account',
	},
	{
		name: 'Update',
		value: 'update',
		description: "Change a customer-service account's nickname",
		action: 'Update a customer service account',
	},
];

/** Since v2: make an account exist as described, in one step. */
export const ensureOption: INodePropertyOptions = {
	name: 'Ensure Account',
	value: 'ensure',
	description: 'Create, rename, set the avatar of and invite an agent to an account, doing only what is needed',
	action: 'Ensure a customer service account exists as described',
};
