'use strict';

const crypto = require('node:crypto');

/** How long WeChat keeps the previous token alive after it hands out a new one. */
const SUPERSEDED_TOKEN_GRACE_MS = 300 * 1000;

/**
 * @typedef {'classic' | 'stable'} TokenKind
 * @typedef {'valid' | 'missing' | 'invalid' | 'expired'} TokenStatus
 * @typedef {object} IssuedToken
 * @property {string} token
 * @property {TokenKind} kind
 * @property {number} expiresAtMs
 * @property {number | null} supersededDiesAtMs
 * @property {'expired' | 'invalid' | null} forcedStatus set by expireAll / invalidateAll
 * @typedef {{ token: string, expiresInSeconds: number }} TokenGrant
 */

class TokenStore {
	/**
	 * @param {import('./clock').EmulatorClock} clock
	 * @param {number} lifetimeSeconds
	 */
	constructor(clock, lifetimeSeconds) {
		this.clock = clock;
		this.lifetimeMs = lifetimeSeconds * 1000;
		/** @type {Map<string, IssuedToken>} */
		this.issued = new Map();
		/** @type {Record<TokenKind, IssuedToken | null>} */
		this.latest = { classic: null, stable: null };
	}

	/**
	 * Mints a token of that kind; the previous one of the same kind dies 300 s from now, or at its own expiry
	 * when that comes first.
	 * @param {TokenKind} kind
	 * @returns {TokenGrant}
	 */
	mint(kind) {
		const nowMs = this.clock.nowMs();
		const previous = this.latest[kind];
		if (previous) previous.supersededDiesAtMs = nowMs + SUPERSEDED_TOKEN_GRACE_MS;
		/** @type {IssuedToken} */
		const issued = {
			kind,
			token: `${kind === 'stable' ? '93' : '92'}_${crypto.randomBytes(60).toString('base64url')}`,
			expiresAtMs: nowMs + this.lifetimeMs,
			supersededDiesAtMs: null,
			forcedStatus: null,
		};
		this.issued.set(issued.token, issued);
		this.latest[kind] = issued;
		return { token: issued.token, expiresInSeconds: this.lifetimeMs / 1000 };
	}

	/**
	 * Mints a stable token and kills every stable token still alive at once, as force_refresh does.
	 * @returns {TokenGrant}
	 */
	mintStableRevokingPrevious() {
		for (const issued of this.issued.values()) {
			if (issued.kind === 'stable' && this.status(issued.token) === 'valid') issued.forcedStatus = 'invalid';
		}
		return this.mint('stable');
	}

	/**
	 * The latest stable token with the whole seconds it has left, or null when there is none still valid.
	 * @returns {TokenGrant | null}
	 */
	currentStable() {
		const latest = this.latest.stable;
		if (!latest || this.status(latest.token) !== 'valid') return null;
		return {
			token: latest.token,
			expiresInSeconds: Math.ceil((latest.expiresAtMs - this.clock.nowMs()) / 1000),
		};
	}

	/** @param {string} token whether this store minted it */
	has(token) {
		return this.issued.has(token);
	}

	/**
	 * @param {string | null | undefined} token
	 * @returns {TokenStatus}
	 */
	status(token) {
		if (!token) return 'missing';
		const issued = this.issued.get(token);
		if (!issued) return 'invalid';
		if (issued.forcedStatus) return issued.forcedStatus;
		const nowMs = this.clock.nowMs();
		if (nowMs >= issued.expiresAtMs) return 'expired';
		if (issued.supersededDiesAtMs !== null && nowMs >= issued.supersededDiesAtMs) return 'invalid';
		return 'valid';
	}

	expireAll() {
		this.forceStatusOfAll('expired');
	}

	invalidateAll() {
		this.forceStatusOfAll('invalid');
	}

	/** @param {'expired' | 'invalid'} status */
	forceStatusOfAll(status) {
		for (const issued of this.issued.values()) issued.forcedStatus = status;
	}

	/** @returns {string[]} every token ever minted, oldest first */
	minted() {
		return [...this.issued.keys()];
	}
}

module.exports = { TokenStore };
