import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
	if (process.env.E2E_PACK_FOLDER) rmSync(process.env.E2E_PACK_FOLDER, { recursive: true, force: true });
}
