/**
 * The one table of WeChat errcodes and transport failures: what each means, how to fix it, whether a retry helps.
 * The node's messages, its retry policy, the README's table and the tests all read from here.
 */

export type ErrorCategory =
	| 'token stale'
	| 'token missing'
	| 'busy'
	| 'credential'
	| 'quota'
	| 'bad input'
	| 'network'
	| 'other';

export interface ErrcodeEntry {
	category: ErrorCategory;
	meaning: string;
	fix: string;
}

const REFETCHED_TOKEN =
	'The node fetched a fresh token and retried once. If this persists, another system is fetching tokens for this AppID with the classic endpoint and invalidating ours: move every system to the stable endpoint (Token Endpoint = Stable), and check the AppSecret.';

/** The fix for a stale token the workflow gave: the node cannot fetch another one for it. */
export const GIVEN_TOKEN_STALE_FIX =
	"The access token the workflow gave is no longer valid, and the node does not refresh a token it did not fetch: get a fresh one from your token service (or the third-party platform's authorizer_access_token) right before this node.";

const CONVERT_TO_JPEG =
	"Send a JPEG (WeChat documents JPG and recommends 640 × 640; a PNG may be refused): put n8n's Edit Image node before this one with Operation = Resize to 640 × 640 and Format = jpeg.";

const ADMIN_APPROVES_IP =
	"An administrator of the Official Account must approve this server's IP: confirm the prompt WeChat sent to the admin, or review it under Settings and Development > Basic Configuration > IP whitelist, then run again.";

export const errcodeTable: Readonly<Record<number, ErrcodeEntry>> = {
	[-1]: {
		category: 'busy',
		meaning: 'WeChat is busy (system error).',
		fix: 'Nothing to change in the workflow: the node retried with backoff. Run again later, or raise Max Retries.',
	},
	40001: {
		category: 'token stale',
		meaning: 'WeChat refused the access token: it is invalid or no longer the latest, or the AppSecret is wrong.',
		fix: REFETCHED_TOKEN,
	},
	40014: {
		category: 'token stale',
		meaning: 'WeChat refused the access token as invalid.',
		fix: REFETCHED_TOKEN,
	},
	41001: {
		category: 'token missing',
		meaning: 'The request reached WeChat without an access token: something between n8n and WeChat dropped the query string.',
		fix: "A new token would change nothing, so none was fetched. If a forwarding proxy sits in front of WeChat (the credential's Base URL), make it pass the query string on unchanged; check the Base URL has no path or '?' of its own.",
	},
	42001: {
		category: 'token stale',
		meaning: 'The access token has expired.',
		fix: REFETCHED_TOKEN,
	},
	40002: {
		category: 'credential',
		meaning: 'WeChat refused the token request (invalid grant_type).',
		fix: 'If a forwarding proxy sits in front of WeChat (Base URL), make it pass requests on unchanged.',
	},
	40013: {
		category: 'credential',
		meaning: 'The AppID is not valid.',
		fix: 'Copy the AppID from the Official Account platform (Settings and Development > Basic Configuration) into the credential: it is "wx" followed by 16 characters.',
	},
	40243: {
		category: 'credential',
		meaning: 'The AppSecret is frozen.',
		fix: 'Unfreeze or reset the AppSecret in the Official Account platform (Settings and Development > Basic Configuration), then paste the new one into the credential.',
	},
	41002: {
		category: 'credential',
		meaning: 'The token request reached WeChat without an AppID.',
		fix: "Fill in the credential's AppID; if a forwarding proxy sits in front of WeChat, make it pass request bodies on unchanged.",
	},
	41004: {
		category: 'credential',
		meaning: 'The token request reached WeChat without an AppSecret.',
		fix: "Fill in the credential's AppSecret; if a forwarding proxy sits in front of WeChat, make it pass request bodies on unchanged.",
	},
	40125: {
		category: 'credential',
		meaning: 'The AppSecret is not valid.',
		fix: 'Copy (or reset) the AppSecret in the Official Account platform (Settings and Development > Basic Configuration) and paste it into the credential.',
	},
	40164: {
		category: 'credential',
		meaning: "The IP address n8n calls WeChat from is not on the Official Account's IP whitelist.",
		fix: "Add the IP that WeChat names to the IP whitelist (Settings and Development > Basic Configuration), or route n8n through a forwarding proxy with a fixed, whitelisted IP and set it as the credential's Base URL.",
	},
	89501: {
		category: 'credential',
		meaning: "WeChat is waiting for an administrator to approve this server's IP.",
		fix: ADMIN_APPROVES_IP,
	},
	89503: {
		category: 'credential',
		meaning: "WeChat flagged this server's IP as risky and waits for an administrator to approve it.",
		fix: ADMIN_APPROVES_IP,
	},
	89506: {
		category: 'credential',
		meaning: 'An administrator refused this IP within the last 24 hours.',
		fix: 'Wait 24 hours, or have an administrator approve the IP, then run again.',
	},
	89507: {
		category: 'credential',
		meaning: 'An administrator refused this IP within the last hour.',
		fix: 'Wait an hour, or have an administrator approve the IP, then run again.',
	},
	48001: {
		category: 'credential',
		meaning: 'This Official Account is not authorized for this API.',
		fix: 'Only certified (authenticated) Service Accounts may manage customer-service accounts: certify the account, or use the credential of one that is.',
	},
	48004: {
		category: 'credential',
		meaning: 'WeChat has banned this API for this Official Account (a rule violation).',
		fix: 'Retrying will not help: log in to mp.weixin.qq.com to see why the API was banned and appeal there.',
	},
	65400: {
		category: 'credential',
		meaning: 'The new customer-service feature is not enabled for this Official Account.',
		fix: 'Enable Customer Service in the Official Account platform, then run again.',
	},
	45009: {
		category: 'quota',
		meaning: "The API's daily quota is used up.",
		fix: 'Retrying today will not help: wait until the quota resets at midnight (Beijing time), or clear it in the Official Account platform (a few times a month).',
	},
	45011: {
		category: 'quota',
		meaning: 'Too many calls this minute: WeChat\'s per-minute frequency limit for this API is reached.',
		fix: 'The node waited for the next minute and retried once. Spread the items over time (a Loop Over Items node with a Wait), or lower the node\'s Concurrency.',
	},
	40005: {
		category: 'bad input',
		meaning: 'WeChat refused the file type.',
		fix: CONVERT_TO_JPEG,
	},
	40009: {
		category: 'bad input',
		meaning: 'WeChat refused the image size.',
		fix: "Send an image of at most 5 MB; n8n's Edit Image node can resize it (640 × 640 is recommended).",
	},
	41005: {
		category: 'bad input',
		meaning: 'WeChat received no media file.',
		fix: 'Check that Binary Property names the property holding the image.',
	},
	65401: {
		category: 'bad input',
		meaning: 'No such customer-service account.',
		fix: 'Use the full account, prefix@OfficialAccountWeChatID, exactly as listed in the customer-service settings; create it first if it does not exist.',
	},
	65403: {
		category: 'bad input',
		meaning: 'The nickname is not valid.',
		fix: 'Use a nickname of 1–16 characters without special characters.',
	},
	65402: {
		category: 'bad input',
		meaning: 'The customer-service account is not bound to a WeChat user yet, so it cannot be used.',
		fix: "Invite the agent's WeChat ID with the Invite Worker operation and have them accept, then run again.",
	},
	65404: {
		category: 'bad input',
		meaning: 'The customer-service account is not valid.',
		fix: "Use prefix@OfficialAccountWeChatID: a prefix of 1–10 letters, digits or underscores, then @ and the Official Account's WeChat ID (at most 30 characters) exactly as set in the platform.",
	},
	65405: {
		category: 'quota',
		meaning: 'The Official Account has as many customer-service accounts as WeChat allows.',
		fix: 'Delete accounts no longer in use (Delete operation) before creating new ones.',
	},
	65406: {
		category: 'bad input',
		meaning: 'The customer-service account already exists.',
		fix: 'Use Update to rename it, or choose another prefix for the new account.',
	},
	65407: {
		category: 'bad input',
		meaning: 'This WeChat user is already a customer-service agent of this Official Account.',
		fix: 'Nothing to invite: the agent is already bound to one of its accounts. Remove the invitation step for this agent, or invite another WeChat user.',
	},
	65408: {
		category: 'bad input',
		meaning: 'An invitation to this WeChat user was already sent.',
		fix: 'Ask the agent to accept the invitation in WeChat (it is valid for 7 days) instead of inviting again.',
	},
	65409: {
		category: 'bad input',
		meaning: 'The WeChat ID is not valid.',
		fix: "Use the agent's WeChat ID (not a nickname or phone number).",
	},
	65410: {
		category: 'bad input',
		meaning: 'The invited WeChat user operates as many customer-service accounts as WeChat allows.',
		fix: 'Have the agent leave a customer-service account they no longer use, or invite another WeChat user.',
	},
	65411: {
		category: 'bad input',
		meaning: 'The account already has an invitation waiting for an answer.',
		fix: 'Wait for the pending invitation to be accepted or to expire (7 days) before inviting someone else.',
	},
	65412: {
		category: 'bad input',
		meaning: 'The customer-service account is already bound to a WeChat user.',
		fix: 'An account has one agent: invite this WeChat user to another account (or create one), or unbind the current agent in the Official Account platform first.',
	},
	65413: {
		category: 'other',
		meaning: 'There is no customer session for this account or user.',
		fix: 'Check that the conversation exists and is still open.',
	},
	65414: {
		category: 'other',
		meaning: 'Another agent is already serving this customer.',
		fix: 'Leave the session with the agent serving it, or close it there first.',
	},
	47001: {
		category: 'other',
		meaning: 'WeChat could not read the request body (data format error).',
		fix: 'If a forwarding proxy sits in front of WeChat (Base URL), make it pass request bodies on unchanged.',
	},
};

export type TransportFailureKind =
	| 'timeout'
	| 'reset'
	| 'unreachable'
	| 'http status'
	| 'unreadable answer'
	| 'request failed';

export const transportFailureTable: Readonly<Record<TransportFailureKind, ErrcodeEntry>> = {
	timeout: {
		category: 'network',
		meaning: 'WeChat did not answer in time.',
		fix: 'The node retried with backoff. Check the network path to the Base URL, or raise the Timeout option.',
	},
	reset: {
		category: 'network',
		meaning: 'The connection closed before WeChat answered.',
		fix: 'The node retried with backoff. If it keeps happening, check the forwarding proxy or firewall between n8n and the Base URL.',
	},
	unreachable: {
		category: 'network',
		meaning: "Nothing answered at the credential's Base URL.",
		fix: "Check the credential's Base URL and that n8n can reach it.",
	},
	'http status': {
		category: 'network',
		meaning: 'WeChat (or a proxy in front of it) answered with an HTTP error instead of JSON.',
		fix: "5xx answers were retried with backoff. Check the credential's Base URL and any forwarding proxy.",
	},
	'unreadable answer': {
		category: 'other',
		meaning: 'WeChat answered with a body that is not the JSON it documents, so the request cannot be confirmed.',
		fix: 'Treat the change as not made and run the item again; the raw answer is in errmsg.',
	},
	'request failed': {
		category: 'network',
		meaning: 'The request to WeChat failed before an answer came.',
		fix: "Check the credential's Base URL and the network; errmsg says what failed.",
	},
};

const unknownErrcode: ErrcodeEntry = {
	category: 'other',
	meaning: 'WeChat refused the request with an errcode this node does not know.',
	fix: "Look the errcode up in WeChat's global return code list; errmsg holds WeChat's own words.",
};

export function describeErrcode(errcode: number, errmsg = ''): ErrcodeEntry {
	const entry = errcodeTable[errcode] ?? unknownErrcode;
	const whitelistIp = errcode === 40164 ? /invalid ip ([0-9a-fA-F.:]+)/.exec(errmsg)?.[1] : undefined;
	return whitelistIp
		? { ...entry, fix: entry.fix.replace('the IP that WeChat names', `the IP ${whitelistIp}`) }
		: entry;
}

/** Why one item failed, in the shape it takes on the error output. */
export type ImageDownloadFailureKind = 'http status' | 'unreachable' | 'timeout' | 'redirects' | 'too large' | 'reset' | 'request failed';

/** Why an avatar could not be fetched from its Image URL: the item's own input, never retried. */
export const imageDownloadFailureTable: Readonly<Record<ImageDownloadFailureKind, Omit<ErrcodeEntry, 'category'>>> = {
	'http status': {
		meaning: 'The image URL answered with an HTTP error instead of the image.',
		fix: 'Check Image URL: it must lead straight to the JPEG or PNG file, reachable from n8n without signing in.',
	},
	unreachable: {
		meaning: "Nothing answered at the image URL's host.",
		fix: "Check the host in Image URL and that n8n can reach it (n8n's proxy and SSRF settings apply to the download).",
	},
	timeout: {
		meaning: 'The image did not arrive in time.',
		fix: "Check the image's host, or raise the Timeout option.",
	},
	redirects: {
		meaning: 'The image URL redirects too many times (a redirect loop).',
		fix: 'Open the URL in a browser and use the address it ends at.',
	},
	'too large': {
		meaning: 'The image at the URL is larger than the 5 MB WeChat accepts; the download was stopped there.',
		fix: "Use a smaller image (WeChat recommends a 640 × 640 JPEG), or download it with HTTP Request and shrink it with n8n's Edit Image node before this one.",
	},
	reset: {
		meaning: "The connection to the image's host closed before the whole image arrived.",
		fix: 'Run the item again; if it keeps happening, check the host.',
	},
	'request failed': {
		meaning: 'Downloading the image failed.',
		fix: "Check Image URL; errmsg says what failed (n8n refuses addresses its SSRF protection blocks).",
	},
};

export function imageDownloadFailure(kind: ImageDownloadFailureKind, errmsg: string, httpStatus?: number): WeChatFailure {
	const { meaning, fix } = imageDownloadFailureTable[kind];
	return { errcode: null, errmsg, category: 'bad input', meaning, fix, retryable: false, field: 'imageUrl', ...(httpStatus ? { httpStatus } : {}) };
}

export interface WeChatFailure {
	errcode: number | null;
	errmsg: string;
	category: ErrorCategory;
	meaning: string;
	fix: string;
	retryable: boolean;
	/** The node parameter to change, for failures found before any request. */
	field?: string;
	httpStatus?: number;
}

export function errcodeFailure(errcode: number, errmsg: string): WeChatFailure {
	const { category, meaning, fix } = describeErrcode(errcode, errmsg);
	return {
		errcode,
		errmsg,
		category,
		meaning,
		fix,
		retryable: category === 'busy' || category === 'token stale',
	};
}

/**
 * An errcode the token endpoint answered. There it speaks of the AppID, the AppSecret or the caller, never of a
 * token the node sent: WeChat documents 40001 from /cgi-bin/token as a wrong AppSecret.
 */
export function tokenEndpointFailure(errcode: number, errmsg: string): WeChatFailure {
	const failure = errcodeFailure(errcode, errmsg);
	if (errcode === 40001) {
		return {
			...failure,
			category: 'credential',
			meaning: 'WeChat refused to issue an access token: the AppSecret is wrong or does not belong to this AppID.',
			fix: errcodeTable[40125].fix,
			retryable: false,
		};
	}
	if (failure.category === 'token stale' || failure.category === 'token missing') {
		return { ...failure, category: 'credential', retryable: false };
	}
	return failure;
}

/** WeChat's errcode as a number: some kf endpoints send it as a numeric string ("40005"). */
export function errcodeNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

export function transportFailure(
	kind: TransportFailureKind,
	errmsg: string,
	httpStatus?: number,
): WeChatFailure {
	const { category, meaning, fix } = transportFailureTable[kind];
	const retryable =
		kind === 'timeout' ||
		kind === 'reset' ||
		kind === 'unreachable' ||
		(kind === 'http status' && httpStatus !== undefined && httpStatus >= 500);
	return { errcode: null, errmsg, category, meaning, fix, retryable, ...(httpStatus ? { httpStatus } : {}) };
}

export function inputFailure(field: string, meaning: string, fix: string): WeChatFailure {
	return { errcode: null, errmsg: '', category: 'bad input', meaning, fix, retryable: false, field };
}

/** What went wrong, with WeChat's errcode or the HTTP status where there is one. */
export function failureSummary(failure: WeChatFailure): string {
	const code = failure.errcode === null ? '' : `WeChat errcode ${failure.errcode}: `;
	const status = failure.httpStatus ? `HTTP ${failure.httpStatus}: ` : '';
	return `${code}${status}${failure.meaning}`;
}

/** One line a person can act on: what went wrong and the fix. */
export function failureMessage(failure: WeChatFailure): string {
	return `${failureSummary(failure)} Fix: ${failure.fix}`;
}
