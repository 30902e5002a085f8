import type { CredentialJson } from './n8n';

/** An execution as `GET /rest/executions/:id` answers it: the run data is n8n's `flatted` JSON text. */
export interface StoredExecution {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	data: string;
}

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

	/**
	 * What the editor's *Execute workflow* button does: a full run of the stored workflow from its Manual Trigger.
	 * Resolves with the execution's id once n8n has started it.
	 */
	async startManualRun(workflowId: string): Promise<string> {
		const workflowData = await this.request<{ nodes: Array<{ name: string; type: string }> }>('GET', `/rest/workflows/${workflowId}`);
		const trigger = workflowData.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
		if (!trigger) throw new Error(`workflow ${workflowId} has no Manual Trigger to start it by hand`);
		// 1.x runs the workflow the body carries; 2.x runs the stored one and ignores `workflowData`.
		const started = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/rest/workflows/${workflowId}/run`, {
			workflowData,
			triggerToStartFrom: { name: trigger.name },
		});
		if (!started.executionId) throw new Error(`n8n did not start workflow ${workflowId}: ${JSON.stringify(started)}`);
		return started.executionId;
	}

	async execution(executionId: string): Promise<StoredExecution> {
		return await this.request('GET', `/rest/executions/${executionId}`);
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
