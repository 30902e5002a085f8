import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsHelper,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';

/**
 * Stands in for n8n's database and its CLI CredentialsHelper, which the engine calls but n8n-core does not ship:
 * stored credentials per id, preAuthentication run under the same conditions as n8n's (the hidden expirable
 * field is empty, the engine says the credential expired, or a credential test runs), and the fetched token
 * saved back so later executions share it.
 */
export class CredentialStore {
	readonly saved: Array<{ id: string; data: ICredentialDataDecryptedObject }> = [];

	private readonly records = new Map<string, ICredentialDataDecryptedObject>();

	private pendingReplacement: { id: string; data: ICredentialDataDecryptedObject } | undefined;

	constructor(private readonly credentialType: ICredentialType) {}

	put(id: string, data: ICredentialDataDecryptedObject): void {
		this.records.set(id, { ...data });
	}

	/** Stores `data` right after the next read: another execution or worker saving a token mid-run. */
	replaceAfterNextRead(id: string, data: ICredentialDataDecryptedObject): void {
		this.pendingReplacement = { id, data };
	}

	get(id: string): ICredentialDataDecryptedObject {
		const data = this.records.get(id);
		if (!data) throw new Error(`No credential with id ${id}`);
		return { ...data };
	}

	helper(): ICredentialsHelper {
		const credentialType = this.credentialType;
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		const defaults = Object.fromEntries(
			credentialType.properties
				.filter((property) => property.type !== 'notice')
				.map((property) => [property.name, property.default]),
		) as ICredentialDataDecryptedObject;
		const helper = {
			getParentTypes: () => [],
			isCredentialUsableByNode: () => true,
			getCredentialsProperties: () => credentialType.properties,
			// As n8n's getDecrypted: the declared fields only, defaults filled in; anything else stored is not handed out.
			getDecrypted: async (_additionalData: unknown, nodeCredentials: INodeCredentialsDetails) => {
				const stored = this.get(nodeCredentials.id ?? '');
				const data = Object.fromEntries(
					Object.entries(defaults).map(([name, value]) => [name, name in stored ? stored[name] : value]),
				) as ICredentialDataDecryptedObject;
				const replacement = this.pendingReplacement;
				this.pendingReplacement = undefined;
				if (replacement) this.put(replacement.id, replacement.data);
				return data;
			},
			getCredentials: async () => {
				throw new Error('not used by these tests');
			},
			updateCredentials: async (nodeCredentials: INodeCredentialsDetails, _type: string, data: ICredentialDataDecryptedObject) => {
				this.put(nodeCredentials.id ?? '', data);
				this.saved.push({ id: nodeCredentials.id ?? '', data: { ...data } });
			},
			updateCredentialsOauthTokenData: async () => {},
			runPreAuthentication: async () => {
				return undefined;
			},
			preAuthentication: async (
				helpers: IHttpRequestHelper,
				credentials: ICredentialDataDecryptedObject,
				_typeName: string,
				node: INode,
				credentialsExpired: boolean,
			) => {
				if (!expirable || !credentialType.preAuthentication) return undefined;
				if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
				const output = await credentialType.preAuthentication.call(helpers, credentials);
				if (output[expirable.name] === undefined) return undefined;
				const reference = node.credentials?.[credentialType.name];
				if (reference?.id) {
					await helper.updateCredentials(reference, credentialType.name, { ...this.get(reference.id), ...output } as ICredentialDataDecryptedObject);
				}
				return Object.assign(credentials, output);
			},
			authenticate: async (
				credentials: ICredentialDataDecryptedObject,
				_typeName: string,
				requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
				workflow: Workflow,
				node: INode,
			) => {
				const authenticate = credentialType.authenticate;
				if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions as IHttpRequestOptions);
				if (!authenticate) return requestOptions as IHttpRequestOptions;
				const options = requestOptions as unknown as Record<string, Record<string, unknown>>;
				for (const [target, entries] of Object.entries(authenticate.properties)) {
					options[target] = options[target] ?? {};
					for (const [key, value] of Object.entries(entries as Record<string, string>)) {
						options[target][key] = String(
							workflow.expression.getSimpleParameterValue(
								node,
								value,
								'internal',
								{ $credentials: credentials },
								undefined,
								'',
							) ?? '',
						);
					}
				}
				return requestOptions as IHttpRequestOptions;
			},
		};
		return helper as unknown as ICredentialsHelper;
	}
}
