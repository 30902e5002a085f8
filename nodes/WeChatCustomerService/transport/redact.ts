// Secrets by structure: the value of any of these names, in a query string, a form or JSON, even cut short.
const SECRET_NAMES = '(access_token|authorizer_access_token|component_access_token|secret|appsecret|app_secret)';
const SECRET_IN_QUERY = new RegExp(`\\b${SECRET_NAMES}=[^&\\s"']*`, 'gi');
const SECRET_IN_JSON = new RegExp(`(["']?)\\b${SECRET_NAMES}\\1(\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*("|$)|[^,}\\s]*)`, 'gi');

/** Removes secrets from text that may reach an output item, an error or a log line. */
export function redactSecrets(text: string, secrets: ReadonlyArray<unknown>): string {
	let redacted = text
		.replace(SECRET_IN_JSON, (_match, quote: string, name: string, colon: string) => `${quote}${name}${quote}${colon}"***"`)
		.replace(SECRET_IN_QUERY, '$1=***');
	for (const secret of secrets) {
		if (typeof secret === 'string' && secret.length >= 6) redacted = redacted.split(secret).join('***');
	}
	return redacted;
}
