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
 * The errcode WeChat refuses to invite the WeChat user with, or null when the invitation may be sent. A refused
 * invitation blocks nothing: WeChat documents no errcode for inviting again. WeChat's page does not say which of
 * 65407 and 65412 wins when both apply.
 * @param {{ kf_wx: string | null, invitation: Invitation | null }} account
 * @param {string} inviteWx a valid WeChat ID
 * @param {{ workerWeChatIds: string[], saturatedWeChatIds: string[], nowSeconds: number }} context workerWeChatIds:
 *   the WeChat users bound to any kf account of the same official account
 * @returns {65407 | 65408 | 65410 | 65411 | 65412 | null}
 */
function invitationErrcode(
	{ kf_wx: boundWx, invitation },
	inviteWx,
	{ workerWeChatIds, saturatedWeChatIds, nowSeconds },
) {
	// Inviting the user already bound to this very account keeps answering 65407, as the emulator always has.
	if (workerWeChatIds.includes(inviteWx)) return 65407;
	if (boundWx !== null) return 65412;
	if (invitation && invitationStatus(invitation, nowSeconds) === 'waiting') {
		return invitation.invite_wx === inviteWx ? 65408 : 65411;
	}
	if (saturatedWeChatIds.includes(inviteWx)) return 65410;
	return null;
}

module.exports = { newInvitation, invitationStatus, invitationErrcode };
