import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import puppeteer, { type Browser, type Page } from 'puppeteer-core';

import { REPOSITORY_ROOT } from '../e2e/sandbox/install';
import { SANDBOX_OWNER } from '../e2e/sandbox/rest';

/** Where the suite's screenshots go, for a person to look at and for the README. */
export const SCREENSHOT_FOLDER = join(REPOSITORY_ROOT, 'test', 'editor', 'tmp');

/** Debian's Chromium (`apt-get install chromium`), or the one CHROMIUM_PATH names; nothing is downloaded. */
export function chromiumPath(): string {
	const candidates = [
		process.env.CHROMIUM_PATH,
		...(process.env.PATH ?? '').split(delimiter).flatMap((folder) => [join(folder, 'chromium'), join(folder, 'chromium-browser')]),
	].filter((path): path is string => Boolean(path));
	const found = candidates.find((path) => existsSync(path));
	if (!found) throw new Error('no Chromium found: install it with `apt-get install chromium` (Debian), or set CHROMIUM_PATH');
	return found;
}

export async function launchChromium(): Promise<Browser> {
	return await puppeteer.launch({
		executablePath: chromiumPath(),
		headless: true,
		// Root in a container: Chromium's own sandbox needs user namespaces it may not have.
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--window-size=1400,900'],
		defaultViewport: { width: 1400, height: 900 },
	});
}

/** n8n's sign-in page, as a person fills it in. */
export async function signIn(page: Page, baseUrl: string, owner = SANDBOX_OWNER): Promise<void> {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'networkidle0' });
	await page.type('input[name=emailOrLdapLoginId]', owner.email);
	await page.type('input[name=password]', owner.password);
	await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('[data-test-id=form-submit-button]')]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOT_FOLDER, { recursive: true });
	const path = join(SCREENSHOT_FOLDER, `${name}.png`);
	await page.screenshot({ path });
	return path;
}

/** The elements with this data-test-id whose text starts with `text`: n8n's test ids outlive its layout. */
export async function byTestIdAndText(page: Page, testId: string, text: string) {
	const elements = await page.$$(`[data-test-id="${testId}"]`);
	const texts = await Promise.all(elements.map((element) => element.evaluate((node) => node.textContent?.trim() ?? '')));
	return elements.filter((_, index) => texts[index].startsWith(text));
}

/** The texts of the elements with this data-test-id, once `ready` accepts them (checked every 250 ms, up to `timeoutMs`). */
export async function textsOf(page: Page, testId: string, ready: (texts: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const texts = await page.$$eval(`[data-test-id="${testId}"]`, (elements) => elements.map((element) => element.textContent?.trim() ?? ''));
		if (ready(texts)) return texts;
		if (Date.now() > deadline) throw new Error(`[data-test-id="${testId}"] never showed what was expected; it showed: ${JSON.stringify(texts)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** What the page-side callbacks read of an element (this package's TypeScript has no DOM library). */
interface PageElement {
	textContent: string | null;
	children: { length: number };
	offsetParent?: unknown;
	innerText?: string;
	click(): void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Types into a parameter's input as a person does (select all, type, leave), then lets the editor take the value. */
export async function fillParameter(page: Page, name: string, value: string): Promise<void> {
	await page.click(`[data-test-id="parameter-input-${name}"] input`);
	await page.keyboard.down('Control');
	await page.keyboard.press('KeyA');
	await page.keyboard.up('Control');
	await page.keyboard.type(value);
	await page.keyboard.press('Tab');
	await pause(600);
}

/** Opens an options parameter's list and picks the option whose text starts with `option`. */
export async function chooseOption(page: Page, name: string, option: string): Promise<void> {
	await page.click(`[data-test-id="parameter-input-${name}"]`);
	const deadline = Date.now() + 10_000;
	for (;;) {
		const items = await page.$$('.el-select-dropdown__item');
		for (const item of items) {
			const visible = await item.evaluate((node) => (node as unknown as PageElement).offsetParent !== null && (node.textContent ?? '').trim());
			if (typeof visible === 'string' && visible.startsWith(option)) {
				await item.click();
				await pause(600);
				return;
			}
		}
		if (Date.now() > deadline) throw new Error(`parameter ${name} offered no option "${option}"`);
		await pause(250);
	}
}

/** The parameters the node's panel shows, by internal name, in the panel's order. */
export async function shownParameters(page: Page): Promise<string[]> {
	return await page.$$eval('[data-test-id=ndv] [data-test-id^="parameter-input-"]', (elements) =>
		elements.map((element) => element.getAttribute('data-test-id')!.slice('parameter-input-'.length)).filter((name) => name !== 'field'),
	);
}

/** The visible text inside `selector`, once `ready` accepts it (checked every 250 ms, up to `timeoutMs`). */
export async function textOf(page: Page, selector: string, ready: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = await page.$$eval(selector, (elements) => elements.map((element) => (element as unknown as PageElement).innerText ?? '').join('\n'));
		if (ready(text)) return text;
		if (Date.now() > deadline) throw new Error(`${selector} never showed what was expected; it showed: ${JSON.stringify(text.slice(0, 2000))}`);
		await pause(250);
	}
}

/** Opens a node of the canvas in its panel, as a double click does. */
export async function openNode(page: Page, name: string): Promise<void> {
	const node = await page.waitForSelector(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	await node!.click({ count: 2 });
	await page.waitForSelector('[data-test-id=ndv]');
	await pause(500);
}

/** Clicks the first element inside `scope` whose own text is `text` exactly (links and buttons without a test id). */
export async function clickText(page: Page, scope: string, text: string): Promise<void> {
	const clicked = await page.$$eval(
		`${scope} *`,
		(elements, wanted) => {
			const target = (elements as unknown as PageElement[]).find((element) => element.children.length === 0 && element.textContent?.trim() === wanted);
			target?.click();
			return Boolean(target);
		},
		text,
	);
	if (!clicked) throw new Error(`nothing in ${scope} reads "${text}"`);
	await pause(500);
}

/** What a parameter's input holds: the chosen option's name for a list, the text for a field. */
export async function parameterValue(page: Page, name: string): Promise<string> {
	return await page.$eval(`[data-test-id="parameter-input-${name}"] input`, (input) => (input as unknown as { value: string }).value);
}

/** Opens a saved workflow, leaving the one on screen without asking (n8n asks before unsaved changes are lost). */
export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	await page.waitForSelector('[data-test-id=execute-workflow-button]', { timeout: 30_000 });
	await pause(1000);
}
