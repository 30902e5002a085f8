import type { CredentialJson } from './n8n';

export const SANDBOX_OWNER = {
	email: 'owner@sandbox.example',
	firstName: 'Sandbox',
	lastName: 'Owner',
	// Only guards a throwaway n8n on loopback; n8n wants 8+ characters, a digit and a capital letter.
	password: 'Sandbox-owner-1',
};

/** n8n's REST API as its editor uses it: the owner's session cookie plus a stable browser id. */
export class N8nRestClient {
	private cookie = '';
	private readonly browserId = `wechat-kf-sandbox-${process.pid}`;

	constructor(readonly baseUrl: string) {}

	private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		return (JSON.parse(await this.send(method, path, body)) as { data: T }).data;
	}

	private async send(method: string, path: string, body?: unknown): Promise<string> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await response.text();
		const authCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
		if (authCookie) this.cookie = authCookie.split(';')[0];
		if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text.slice(0, 1000)}`);
		return text;
	}

	/** Creates the instance owner (a fresh n8n has none) and keeps the session it starts. */
	async setUpOwner(owner = SANDBOX_OWNER): Promise<void> {
		await this.request('POST', '/rest/owner/setup', owner);
	}

	/** What the credential dialog's *Test* button does: n8n runs the credential's test with these data. */
	async testCredential(credential: CredentialJson): Promise<{ status: string; message: string }> {
		// 2.x insists on the id of a stored credential; the data sent override the stored ones for the test.
		return await this.request('POST', '/rest/credentials/test', { credentials: credential });
	}

	/** The node type descriptions the editor loads (one per node version), icons resolved to `iconUrl`. */
	async nodeTypes(): Promise<Array<{ name: string; version: number | number[]; iconUrl?: { light: string; dark: string } }>> {
		return JSON.parse(await this.send('GET', '/types/nodes.json'));
	}

	/** A file n8n serves to the signed-in editor, such as an icon. */
	async fetchText(path: string): Promise<string> {
		return await this.send('GET', path);
	}
}
