import { join } from 'node:path';

import type { N8nInstallation } from './install';

/** The parts of n8n's execution JSON (`n8n execute --rawOutput`, `GET /rest/executions/:id`) the sandbox reads. */

export interface RunItem {
	json: Record<string, unknown>;
	/** `data` holds the bytes in base64 when n8n keeps binaries in memory (1.x); 2.x stores them and sets `id`. */
	binary?: Record<string, { fileName?: string; mimeType?: string; fileSize?: string; bytes?: number; data?: string; id?: string }>;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

export interface NodeRun {
	executionStatus?: string;
	data?: { main: Array<RunItem[] | null> };
	error?: { message: string; description?: string | null };
}

export interface ExecutionError {
	message: string;
	description?: string | null;
	node?: { name: string; type: string };
}

export interface ExecutionRun {
	status: string;
	finished?: boolean;
	mode?: string;
	data: { resultData: { runData: Record<string, NodeRun[]>; error?: ExecutionError; lastNodeExecuted?: string } };
}

/**
 * The run in the stdout of `n8n execute`: n8n prints log lines, then the run as indented JSON from a line that is
 * just `{` to a line that is just `}` (on failure, log lines follow it).
 */
export function parseExecuteOutput(stdout: string): ExecutionRun {
	const lines = stdout.split('\n');
	const first = lines.indexOf('{');
	const last = lines.indexOf('}', first);
	if (first === -1 || last === -1) throw new Error(`no execution JSON in n8n's output:\n${stdout.slice(-3000)}`);
	const run = JSON.parse(lines.slice(first, last + 1).join('\n')) as ExecutionRun;
	if (!run.data?.resultData?.runData) throw new Error(`n8n printed JSON that is not a run:\n${stdout.slice(-3000)}`);
	return run;
}

/** Run data as n8n stores it (`flatted` JSON text), parsed with that n8n's own copy of flatted. */
export function parseStoredRunData(installation: N8nInstallation, text: string): ExecutionRun['data'] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(join(installation.folder, 'node_modules', 'flatted')) as { parse(text: string): unknown };
	return flatted.parse(text) as ExecutionRun['data'];
}

/** The items one node put on one of its outputs in its first run ([] when it did not run or sent nothing there). */
export function outputItems(run: ExecutionRun, nodeName: string, outputIndex = 0): RunItem[] {
	return run.data.resultData.runData[nodeName]?.[0]?.data?.main[outputIndex] ?? [];
}

export function nodesThatRan(run: ExecutionRun): string[] {
	return Object.keys(run.data.resultData.runData);
}

/** The size in bytes of an item's binary property, from either way n8n keeps it. */
export function binarySize(item: RunItem | undefined, property = 'data'): number | undefined {
	const binary = item?.binary?.[property];
	if (!binary) return undefined;
	if (typeof binary.bytes === 'number') return binary.bytes;
	return binary.id || typeof binary.data !== 'string' ? undefined : Buffer.from(binary.data, 'base64').length;
}

/** What a node run as an AI agent's tool answered: the items it output, as n8n hands them to the agent. */
export function toolResponse(run: ExecutionRun, toolNodeName: string): Array<Record<string, unknown>> {
	const toolRun = run.data.resultData.runData[toolNodeName]?.at(-1) as { data?: { ai_tool?: Array<Array<{ json: { response?: unknown } }>> } } | undefined;
	const response = toolRun?.data?.ai_tool?.[0]?.[0]?.json.response;
	if (!Array.isArray(response)) throw new Error(`${toolNodeName} gave no tool response: ${JSON.stringify(toolRun).slice(0, 2000)}`);
	return response as Array<Record<string, unknown>>;
}
