import { redactSecrets } from '../nodes/WeChatCustomerService/transport/redact';

// No known values: what is removed here is removed by structure alone, as for a token this process never held.
describe('redaction by structure', () => {
	test.each([
		['a query string', 'GET /cgi-bin/token?grant_type=client_credential&appid=wx1&secret=s3cr3tValue', 'secret=***'],
		['an access token in a URL', 'POST /customservice/kfaccount/uploadheadimg?access_token=93_abcDEF-123&kf_account=a', 'access_token=***&kf_account=a'],
		["a third-party platform's token", 'authorizer_access_token=42_xyz', 'authorizer_access_token=***'],
		['JSON', '{"access_token":"93_abc.def","expires_in":7200}', '{"access_token":"***","expires_in":7200}'],
		['JSON cut off inside the token', '{"access_token":"93_abcd', '{"access_token":"***"'],
		['a JSON body with the AppSecret', '{"grant_type":"client_credential","appid":"wx1","secret":"s3cr3tValue","force_refresh":false}', '"secret":"***"'],
		['an escaped quote inside the value', '{"appsecret":"ab\\"cd","x":1}', '{"appsecret":"***","x":1}'],
		['unquoted keys', '{access_token: 93_abc, x: 1}', '{access_token: "***", x: 1}'],
	])('removes the value in %s', (_name, text, kept) => {
		const redacted = redactSecrets(text, []);

		expect(redacted).toContain(kept);
		expect(redacted).not.toMatch(/s3cr3tValue|93_abc|42_xyz|ab\\"cd/);
	});

	test('keeps words that only mention a secret', () => {
		expect(redactSecrets('Check the AppSecret, then the access token.', [])).toBe('Check the AppSecret, then the access token.');
	});

	test('also removes the values it is given, wherever they stand', () => {
		expect(redactSecrets('token 93_known-token-value leaked', ['93_known-token-value'])).toBe('token *** leaked');
	});
});
