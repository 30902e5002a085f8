import { execFile } from 'node:child_process';
import { Agent, createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request that reached WeChat through the proxy, with the process that sent it. */
export interface AttributedRequest {
	path: string;
	/** The PID owning the client socket, or undefined when `ss` could not tell. */
	pid: number | undefined;
	/** For a token request: the AppID it asks a token for. */
	appId?: string;
}

export interface CallerAttributingProxy {
	/** Put this in the credential's Base URL instead of the emulator's. */
	baseUrl: string;
	requests: AttributedRequest[];
	close(): Promise<void>;
}

/** The PID owning the loopback client socket `clientPort` → `serverPort`, from `ss` (root sees every process). */
function socketOwner(clientPort: number, serverPort: number): Promise<number | undefined> {
	return new Promise((resolve) => {
		execFile('ss', ['-tnpH', 'sport', '=', `:${clientPort}`, 'and', 'dport', '=', `:${serverPort}`], (error, stdout) => {
			const pid = error ? undefined : /pid=(\d+)/.exec(stdout)?.[1];
			resolve(pid === undefined ? undefined : Number(pid));
		});
	});
}

/**
 * A loopback HTTP proxy in front of the WeChat emulator that records which process sent each request: n8n's workers
 * call WeChat from their own process, so the client socket's owner names the worker that ran the item. Every
 * connection is looked up once, before its first request goes on, while the socket is sure to be open.
 */
export async function startCallerAttributingProxy(targetBaseUrl: string): Promise<CallerAttributingProxy> {
	const target = new URL(targetBaseUrl);
	const agent = new Agent({ keepAlive: true });
	const owners = new WeakMap<Socket, Promise<number | undefined>>();
	const requests: AttributedRequest[] = [];
	let serverPort = 0;
	const server = createServer((incoming, outgoing) => {
		void (async () => {
			const pid = await (owners.get(incoming.socket) ?? Promise.resolve(undefined));
			const url = new URL(incoming.url ?? '/', 'http://proxy.invalid');
			// A token request's body is small: read it whole for the AppID it asks for, then send it on.
			const body = url.pathname === '/cgi-bin/stable_token' ? await readWhole(incoming) : undefined;
			const appId = url.pathname === '/cgi-bin/token' ? (url.searchParams.get('appid') ?? undefined) : body ? appIdIn(body) : undefined;
			requests.push({ path: url.pathname, pid, ...(appId ? { appId } : {}) });
			const forwarded = httpRequest(
				{
					agent,
					host: target.hostname,
					port: target.port,
					method: incoming.method,
					path: incoming.url,
					headers: { ...incoming.headers, host: target.host },
				},
				(answer: IncomingMessage) => {
					outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(outgoing);
				},
			);
			forwarded.on('error', () => outgoing.destroy());
			if (body) forwarded.end(body);
			else incoming.pipe(forwarded);
		})();
	});
	server.on('connection', (socket) => {
		owners.set(socket, socketOwner(socket.remotePort ?? 0, serverPort));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	serverPort = (server.address() as AddressInfo).port;
	return {
		baseUrl: `http://127.0.0.1:${serverPort}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				agent.destroy();
				server.close(() => resolve());
			}),
	};
}

function readWhole(stream: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

function appIdIn(body: Buffer): string | undefined {
	try {
		const appId = (JSON.parse(body.toString('utf8')) as { appid?: unknown }).appid;
		return typeof appId === 'string' ? appId : undefined;
	} catch {
		return undefined;
	}
}
