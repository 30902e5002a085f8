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
