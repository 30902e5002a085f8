import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { WechatCustomerService } from '../nodes/WeChatCustomerService/WechatCustomerService.node';
import { jpegItem, sandboxPerTest } from './engine/sandbox';

const sandbox = sandboxPerTest();

/** Where n8n's editor finds a node's output schema before a run: __schema__/v<version>/<resource>/<operation>.json beside the node. */
const SCHEMA_FOLDER = join(__dirname, '..', 'nodes', 'WeChatCustomerService', '__schema__');

interface OutputSchema {
	type: string;
	properties: Record<string, { type: string }>;
}

function schemaFor(version: string, resource: string, operation: string): OutputSchema {
	return JSON.parse(readFileSync(join(SCHEMA_FOLDER, `v${version}`, resource, `${operation}.json`), 'utf8')) as OutputSchema;
}

const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/** Every field of every output item is in the schema, with the type the schema gives. */
function mismatches(schema: OutputSchema, outputs: IDataObject[]): string[] {
	return outputs.flatMap((json) =>
		Object.entries(json).flatMap(([field, value]) => {
			const declared = schema.properties[field];
			if (!declared) return [`${field} is not in the schema`];
			return declared.type === typeOf(value) ? [] : [`${field} is ${typeOf(value)}, the schema says ${declared.type}`];
		}),
	);
}

const nodeVersions = new WechatCustomerService().nodeVersions;

/** Every resource/operation pair a node version offers, read from its Resource and Operation fields. */
function operationsOf(version: number): Array<[resource: string, operation: string]> {
	const { properties } = nodeVersions[version].description;
	const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as Array<{ value: string }>;
	return resources.flatMap(({ value: resource }) =>
		properties
			.filter((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource))
			.flatMap((property) => (property.options ?? []) as Array<{ value: string }>)
			.map(({ value }): [string, string] => [resource, value]),
	);
}

/** The same executor answers under both versions; v1 listed Upload Avatar with the account operations. */
const V1_NAMES: Record<string, string> = { 'avatar/upload': 'account/uploadAvatar' };

describe('output schemas the editor maps from before a run', () => {
	test.each([1, 2])('v%i: every operation has one where n8n asks (v<version>.0.0/<resource>/<operation>.json), an object schema with properties', (version) => {
		const offered = operationsOf(version).map(([resource, operation]) => `${resource}/${operation}`);
		const shipped = readdirSync(join(SCHEMA_FOLDER, `v${version}.0.0`), { recursive: true, encoding: 'utf8' })
			.filter((name) => name.endsWith('.json'))
			.map((name) => name.replace(/\.json$/, ''));

		expect(shipped.sort()).toEqual(offered.sort());
		for (const [resource, operation] of operationsOf(version)) {
			const schema = schemaFor(`${version}.0.0`, resource, operation);
			expect(schema.type).toBe('object');
			expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
		}
	});

	test('what each operation really outputs matches its schema in both versions', async () => {
		const { emulator, run, upload } = await sandbox({ saturatedWeChatIds: [] });
		emulator.setOnline('agent2@sandbox_oa', { status: 1, acceptedCase: 2 });
		const outputs: Record<string, IDataObject[]> = {
			'avatar/upload': (await upload([jpegItem()])).success.map((item) => item.json),
			'account/create': (await run('create', [{ json: {} }], { parameters: { kfAccount: 'ada@sandbox_oa', nickname: 'Ada' } })).success.map((item) => item.json),
			'account/update': (await run('update', [{ json: {} }], { parameters: { kfAccount: 'ada@sandbox_oa', nickname: 'Ada L.' } })).success.map((item) => item.json),
			'account/inviteWorker': (
				await run('inviteWorker', [{ json: {} }], { parameters: { kfAccount: 'ada@sandbox_oa', inviteWx: 'ada_lovelace' } })
			).success.map((item) => item.json),
			'account/getAll': (await run('getAll', [{ json: {} }], { parameters: { returnAll: true, includeOnlineStatus: true } })).success.map((item) => item.json),
			'account/ensure': (
				await run('ensure', [jpegItem()], { parameters: { kfAccount: 'lin@sandbox_oa', nickname: 'Lin', inviteWx: 'lin_wx', binaryPropertyName: 'data' } })
			).success.map((item) => item.json),
			'account/delete': (await run('delete', [{ json: {} }], { parameters: { kfAccount: 'ada@sandbox_oa' } })).success.map((item) => item.json),
		};
		emulator.inject({ kind: 'commitThenReset', path: '/customservice/kfaccount/add' });
		outputs['account/create'].push(
			...(await run('create', [{ json: {} }], { parameters: { kfAccount: 'max@sandbox_oa', nickname: 'Max' } })).success.map((item) => item.json),
		);

		expect(Object.keys(outputs).sort()).toEqual(operationsOf(2).map(([resource, operation]) => `${resource}/${operation}`).sort());
		for (const [path, json] of Object.entries(outputs)) {
			expect(json.length).toBeGreaterThan(0);
			const versions = path === 'account/ensure' ? [['2.0.0', path]] : [['2.0.0', path], ['1.0.0', V1_NAMES[path] ?? path]];
			for (const [version, schemaPath] of versions) {
				const [resource, operation] = schemaPath.split('/');
				expect({ version, schemaPath, mismatches: mismatches(schemaFor(version, resource, operation), json) }).toEqual({ version, schemaPath, mismatches: [] });
			}
		}
		// The invitation fields getkflist adds while one is pending are covered too.
		expect(outputs['account/getAll'].some((json) => json.invite_status === 'waiting')).toBe(true);
	});
});
