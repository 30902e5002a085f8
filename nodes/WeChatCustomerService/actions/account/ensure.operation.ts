import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeChatFailure } from '../../errors';
import { wechatApiRequest, type TokenSession } from '../../transport';
import { checkInviteWx, checkNickname } from '../../validation';
import * as imageSource from '../avatar/imageSource';
import { uploadAvatar } from '../avatar/upload.operation';
import type { ItemOutcome, OperationContext } from '../types';
import { fetchAccountList } from './getAll.operation';
import { kfAccountField, nicknameField, readKfAccount } from './shared';

type Step = 'account' | 'nickname' | 'avatar' | 'invitation';
type StepResult = 'created' | 'renamed' | 'avatarUploaded' | 'invited' | 'unchanged';

/** The step a bad parameter belongs to, for a failure found before any request. */
const STEP_OF_FIELD: Record<string, Step> = { nickname: 'nickname', inviteWx: 'invitation', imageUrl: 'avatar', binaryPropertyName: 'avatar' };

export const properties = (displayOptions: IDisplayOptions): INodeProperties[] => [
	kfAccountField(displayOptions, 'The account to make exist, prefix@OfficialAccountWeChatID; created when WeChat does not list it'),
	nicknameField(displayOptions, 'The name customers see, at most 16 characters; the account is renamed when it differs'),
	...imageSource.properties(displayOptions),
	{
		displayName: 'Upload Avatar',
		name: 'avatarPolicy',
		type: 'options',
		options: [
			{ name: 'Always', value: 'always', description: 'Upload the image on every run, e.g. for a new photo' },
			{
				name: 'Only When the Account Has None',
				value: 'whenMissing',
				description: 'Upload when the account is created now, or WeChat lists no avatar for it',
			},
		],
		default: 'always',
		displayOptions,
	},
	{
		displayName: 'WeChat ID to Invite',
		name: 'inviteWx',
		type: 'string',
		default: '',
		placeholder: 'ada_lovelace',
		description:
			"The agent's WeChat ID, invited to operate the account unless it is already bound or an invitation to it is pending. Empty: invite no one.",
		displayOptions,
	},
];

/**
 * One account list per token session, so per execution with the credential: each item's steps read it and write
 * what they changed back, so a later item about the same account sees it.
 */
const accountLists = new WeakMap<TokenSession, Promise<{ accounts: IDataObject[] } | { failure: WeChatFailure }>>();

function accountListFor(context: OperationContext) {
	let list = accountLists.get(context.session);
	if (!list) {
		list = fetchAccountList(context);
		accountLists.set(context.session, list);
	}
	return list;
}

/**
 * Makes the account exist as described, doing only what is needed: create, rename, upload the avatar, invite.
 * Its output says per step what happened, or why nothing had to; a failure names the step and what was done before.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<ItemOutcome> {
	const account = readKfAccount(this, itemIndex);
	if ('failure' in account) return account;
	const { kfAccount, subject } = account;
	const nickname = this.getNodeParameter('nickname', itemIndex);
	const inviteWx = this.getNodeParameter('inviteWx', itemIndex, '');
	const avatarPolicy = this.getNodeParameter('avatarPolicy', itemIndex, 'always') as string;
	const localFailure =
		checkNickname(nickname) ??
		(inviteWx === undefined || inviteWx === null || (typeof inviteWx === 'string' && inviteWx.trim() === '') ? undefined : checkInviteWx(inviteWx)) ??
		imageSource.checkImageSource(this, itemIndex);
	if (localFailure) return { failure: localFailure, subject: { ...subject, step: STEP_OF_FIELD[localFailure.field ?? ''] ?? 'account', done: [] } };
	const wantedNickname = String(nickname).trim();
	const wantedWx = String(inviteWx ?? '').trim();

	const steps: Partial<Record<Step, StepResult>> = {};
	const unchangedBecause: Partial<Record<Step, string>> = {};
	const failed = (step: Step, failure: WeChatFailure): ItemOutcome => ({
		failure,
		subject: { ...subject, step, done: Object.values(steps).filter((result) => result !== 'unchanged') },
	});
	const unchanged = (step: Step, reason: string) => {
		steps[step] = 'unchanged';
		unchangedBecause[step] = reason;
	};
	const call = (path: string, body: IDataObject) =>
		wechatApiRequest(context.session, { method: 'POST', path, body, expectErrcode: true }, context.retryPolicy, context.onRetry);

	const list = await accountListFor(context);
	if ('failure' in list) return failed('account', list.failure);
	let listed = list.accounts.find((entry) => entry.kf_account === kfAccount);

	if (!listed) {
		const created = await call('/customservice/kfaccount/add', { kf_account: kfAccount, nickname: wantedNickname });
		// 65406: created meanwhile, by another item or another system; the list was read before.
		if (!created.ok && created.failure.errcode !== 65406) return failed('account', created.failure);
		listed = { kf_account: kfAccount, kf_nick: wantedNickname, kf_headimgurl: '', createdNow: created.ok };
		list.accounts.push(listed);
		if (created.ok) steps.account = 'created';
		else unchanged('account', 'WeChat said it exists (65406): it was created after the list was read');
		unchanged('nickname', created.ok ? 'set when the account was created' : 'not known yet; run again to compare');
	} else {
		unchanged('account', 'WeChat lists it');
		if (listed.kf_nick === wantedNickname) unchanged('nickname', `already "${wantedNickname}"`);
		else {
			const renamed = await call('/customservice/kfaccount/update', { kf_account: kfAccount, nickname: wantedNickname });
			if (!renamed.ok) return failed('nickname', renamed.failure);
			listed.kf_nick = wantedNickname;
			steps.nickname = 'renamed';
		}
	}

	const hasAvatar = !listed.createdNow && typeof listed.kf_headimgurl === 'string' && listed.kf_headimgurl !== '';
	if (avatarPolicy === 'whenMissing' && hasAvatar) {
		unchanged('avatar', 'the account has one (Upload Avatar: Only When the Account Has None)');
	} else {
		const image = await imageSource.readAvatarImage(this, itemIndex, context);
		if ('meaning' in image) return failed('avatar', image);
		const uploaded = await uploadAvatar(context, kfAccount, image, subject).finally(image.release);
		if ('failure' in uploaded) return failed('avatar', uploaded.failure);
		steps.avatar = 'avatarUploaded';
	}

	if (!wantedWx) unchanged('invitation', 'no WeChat ID to invite');
	else if (listed.kf_wx) unchanged('invitation', listed.kf_wx === wantedWx ? `already bound to ${wantedWx}` : `bound to another WeChat ID, ${String(listed.kf_wx)}`);
	else if (listed.invite_wx === wantedWx && listed.invite_status === 'waiting') {
		unchanged('invitation', `an invitation to ${wantedWx} is waiting for the agent to accept`);
	} else {
		const invited = await call('/customservice/kfaccount/inviteworker', { kf_account: kfAccount, invite_wx: wantedWx });
		// 65408: an invitation is already out, e.g. sent by another item about the same account.
		if (!invited.ok && invited.failure.errcode !== 65408) return failed('invitation', invited.failure);
		Object.assign(listed, { invite_wx: wantedWx, invite_status: 'waiting' });
		if (invited.ok) steps.invitation = 'invited';
		else unchanged('invitation', 'WeChat said an invitation was already sent (65408)');
	}

	const done = Object.values(steps).filter((result) => result !== 'unchanged');
	return {
		json: {
			errcode: 0,
			errmsg: 'ok',
			kfAccount,
			nickname: wantedNickname,
			...(wantedWx ? { inviteWx: wantedWx } : {}),
			done,
			steps,
			unchangedBecause,
		},
	};
}
