import type { N8nInstallation } from '../e2e/sandbox/install';
import { parseStoredRunData, type ExecutionRun } from '../e2e/sandbox/runData';
import type { Postgres } from './services';

/** One execution as n8n stored it in PostgreSQL. */
export interface ExecutionRecord {
	id: number;
	status: string;
	run: ExecutionRun['data'];
}

/** The highest execution id so far: a burst's executions are those above it. */
export async function lastExecutionId(postgres: Postgres): Promise<number> {
	const [max] = await postgres.query('SELECT COALESCE(MAX(id), 0) FROM execution_entity');
	return Number(max);
}

/**
 * The executions of `workflowIds` stored after `afterId`, read from the executions table the way n8n writes them
 * (the run data is `flatted` JSON, parsed with n8n's own copy). Waits until `expected` are there and finished, or
 * 30 s have passed: a worker answers the webhook before its execution's last save may have landed.
 */
export async function executionsAfter(
	postgres: Postgres,
	installation: N8nInstallation,
	options: { afterId: number; workflowIds: string[]; expected: number },
): Promise<ExecutionRecord[]> {
	const workflows = options.workflowIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
	const deadline = Date.now() + 30_000;
	for (;;) {
		const rows = await postgres.query(
			`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
			 WHERE e.id > ${options.afterId} AND e."workflowId" IN (${workflows}) ORDER BY e.id`,
		);
		const records = rows.map((row) => {
			const [id, status, data] = row.split('\t');
			return { id: Number(id), status, run: parseStoredRunData(installation, data) };
		});
		const settled = records.filter((record) => !['new', 'running'].includes(record.status));
		if ((settled.length >= options.expected && settled.length === records.length) || Date.now() > deadline) return records;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** What the node put out in a stored execution: its items' errcodes, and the execution's error if it failed. */
export function uploadOutcome(record: ExecutionRecord, nodeName: string) {
	const output = record.run.resultData.runData[nodeName]?.[0]?.data?.main[0] ?? [];
	return {
		status: record.status,
		errcodes: output.map((item) => item.json.errcode),
		kfAccounts: output.map((item) => item.json.kfAccount),
		error: record.run.resultData.error?.message,
	};
}
