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

const operations = (new WechatCustomerService().description.properties.find((property) => property.name === 'operation')?.options ?? []) as Array<{
	value: string;
}>;

describe('output schemas the editor maps from before a run', () => {
	test('every operation has one, for the node version n8n asks about (1 → v1.0.0), as an object schema with properties', () => {
		const { version } = new WechatCustomerService().description;
		const shipped = readdirSync(join(SCHEMA_FOLDER, 'v1.0.0', 'account')).map((name) => name.replace(/\.json$/, ''));

		expect(version).toBe(1);
		expect(shipped.sort()).toEqual(operations.map((operation) => operation.value).sort());
		for (const operation of shipped) {
			const schema = schemaFor('1.0.0', 'account', operation);
			expect(schema.type).toBe('object');
			expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
		}
	});

	test('what each operation really outputs matches its schema', async () => {
		const { emulator, run, upload } = await sandbox({ saturatedWeChatIds: [] });
		emulator.setOnline('agent2@sandbox_oa', { status: 1, acceptedCase: 2 });
		const outputs: Record<string, IDataObject[]> = {
			uploadAvatar: (await upload([jpegItem()])).success.map((item) => item.json),
			create: (await run('create', [{ json: {} }], { parameters: { kfAccount: 'ada@sandbox_oa', nickname: 'Ada' } })).success.map((item) => item.json),
			update: (await run('update', [{ json: {} }], { parameters: { kfAccount: 'ada@sandbox_oa', nickname: 'Ada L.' } })).success.map((item) => item.json),
			inviteWorker: (await run('inviteWorker', [{ json: {} }], { parameters: { kfAccount: 'ada@sandbox_oa', inviteWx: 'ada_lovelace' } })).success.map(
				(item) => item.json,
			),
			getAll: (await run('getAll', [{ json: {} }], { parameters: { returnAll: true, includeOnlineStatus: true } })).success.map((item) => item.json),
			delete: (await run('delete', [{ json: {} }], { parameters: { kfAccount: 'ada@sandbox_oa' } })).success.map((item) => item.json),
		};
		emulator.inject({ kind: 'commitThenReset', path: '/customservice/kfaccount/add' });
		outputs.create.push(...(await run('create', [{ json: {} }], { parameters: { kfAccount: 'lin@sandbox_oa', nickname: 'Lin' } })).success.map((item) => item.json));

		expect(Object.keys(outputs).sort()).toEqual(operations.map((operation) => operation.value).sort());
		for (const [operation, json] of Object.entries(outputs)) {
			expect(json.length).toBeGreaterThan(0);
			expect({ operation, mismatches: mismatches(schemaFor('1.0.0', 'account', operation), json) }).toEqual({ operation, mismatches: [] });
		}
		// The invitation fields getkflist adds while one is pending are covered too.
		expect(outputs.getAll.some((json) => json.invite_status === 'waiting')).toBe(true);
	});
});
