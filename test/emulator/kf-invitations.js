'use strict';

const INVITATION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

/**
 * An invitation to a WeChat user to operate a kf account, in getkflist's field names. A waiting invitation whose
 * expire time has passed is listed as 'expired'.
 * @typedef {object} Invitation
 * @property {string} invite_wx
 * @property {number} invite_expire_time seconds since the epoch
 * @property {'waiting' | 'rejected'} invite_status
 */

/**
 * @param {string} inviteWx
 * @param {number} nowSeconds
 * @returns {Invitation}
 */
function newInvitation(inviteWx, nowSeconds) {
	return {
		invite_wx: inviteWx,
		invite_expire_time: nowSeconds + INVITATION_LIFETIME_SECONDS,
		invite_status: 'waiting',
	};
}

/**
 * @param {Invitation} invitation
 * @param {number} nowSeconds
 * @returns {'waiting' | 'rejected' | 'expired'}
 */
function invitationStatus(invitation, nowSeconds) {
	if (invitation.invite_status === 'waiting' && nowSeconds >= invitation.invite_expire_time) return 'expired';
	return invitation.invite_status;
}

/**
 * The errcode WeChat refuses to invite the WeChat user with, or null when the invitation may be sent.
 * @param {{ kf_wx: string | null, invitation: Invitation | null }} account
 * @param {string} inviteWx a valid WeChat ID
 * @param {{ saturatedWeChatIds: string[], nowSeconds: number }} context
 * @returns {65407 | 65408 | 65410 | 65411 | 65412 | null}
 */
function invitationErrcode({ kf_wx: boundWx, invitation }, inviteWx, { saturatedWeChatIds, nowSeconds }) {
	if (boundWx === inviteWx) return 65407;
	const status = invitation && invitationStatus(invitation, nowSeconds);
	if (status === 'waiting') return invitation?.invite_wx === inviteWx ? 65408 : 65411;
	if (status === 'rejected' && invitation?.invite_wx === inviteWx) return 65412;
	if (saturatedWeChatIds.includes(inviteWx)) return 65410;
	return null;
}

module.exports = { newInvitation, invitationStatus, invitationErrcode };
