const SECRET_QUERY_PARAMETER = /\b(access_token|authorizer_access_token|secret|appsecret)=[^&\s"']*/gi;

/** Removes secrets from text that may reach an output item, an error or a log line. */
export function redactSecrets(text: string, secrets: ReadonlyArray<unknown>): string {
	let redacted = text.replace(SECRET_QUERY_PARAMETER, '$1=***');
	for (const secret of secrets) {
		if (typeof secret === 'string' && secret.length >= 6) redacted = redacted.split(secret).join('***');
	}
	return redacted;
}
