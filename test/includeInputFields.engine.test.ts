import { ACCOUNT, jpegItem, sandboxPerTest, tokenFromElsewhere } from './engine/sandbox';

const sandbox = sandboxPerTest();

describe('Options → Include Input Fields', () => {
	test("off (the default): an output item holds the node's fields only", async () => {
		const { upload } = await sandbox();
		const { success } = await upload([jpegItem('ada.jpg', { employeeId: 'E-7' })]);

		expect(success[0].json).not.toHaveProperty('employeeId');
	});

	test("on: each output item carries its input item's fields beside the node's, which win on a clash", async () => {
		const { upload, run } = await sandbox();
		const uploaded = await upload([jpegItem('ada.jpg', { employeeId: 'E-7', errcode: 'from the input' })], {
			nodeOptions: { includeInputFields: true },
		});
		const listed = await run('getAll', [{ json: { requestedBy: 'HR' } }], { parameters: { returnAll: true }, nodeOptions: { includeInputFields: true } });

		expect(uploaded.success[0].json).toMatchObject({ employeeId: 'E-7', errcode: 0, kfAccount: ACCOUNT });
		expect(listed.success.length).toBeGreaterThan(1);
		expect(listed.success.every((item) => item.json.requestedBy === 'HR' && typeof item.json.kf_account === 'string')).toBe(true);
	});
});

test('the token an input item gives (workflow-token mode) is masked in the copied fields, as everywhere', async () => {
	const { emulator, upload } = await sandbox();
	const token = await tokenFromElsewhere(emulator);
	const { success } = await upload([jpegItem('ada.jpg', { token, nested: { authorizer_access_token: token }, employeeId: 'E-7' })], {
		parameters: { authentication: 'none', accessToken: '={{ $json.token }}', baseUrl: emulator.baseUrl },
		nodeOptions: { includeInputFields: true },
	});

	expect(success[0].json).toMatchObject({ errcode: 0, employeeId: 'E-7', token: '***', nested: { authorizer_access_token: '***' } });
});
