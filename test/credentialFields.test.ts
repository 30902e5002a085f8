import { NodeHelpers } from 'n8n-workflow';

import { WeChatOfficialAccountApi } from '../credentials/WeChatOfficialAccountApi.credentials';

const credential = new WeChatOfficialAccountApi();
const notice = credential.properties.find((property) => property.type === 'notice')!;

function noticeShownFor(baseUrl: string): boolean {
	return NodeHelpers.displayParameter({ baseUrl }, notice, null, null);
}

test('the credential recommends https when the Base URL is plain http, and only then', () => {
	expect(notice.displayName).toMatch(/https/);
	expect(noticeShownFor('http://127.0.0.1:8080')).toBe(true);
	expect(noticeShownFor('http://wechat-proxy.internal/')).toBe(true);
	expect(noticeShownFor('https://api.weixin.qq.com')).toBe(false);
	expect(noticeShownFor('https://sh.api.weixin.qq.com/')).toBe(false);
});

test('the credential keeps the names other tools depend on', () => {
	expect(credential.name).toBe('wechatOfficialAccountApi');
	expect(credential.properties.map((property) => property.name)).toEqual(
		expect.arrayContaining(['appId', 'appSecret', 'tokenEndpoint', 'baseUrl', 'accessToken']),
	);
	const tokenField = credential.properties.find((property) => property.name === 'accessToken')!;
	expect(tokenField).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
	expect(credential.properties.find((property) => property.name === 'tokenEndpoint')?.default).toBe('stable');
	expect(credential.properties.find((property) => property.name === 'baseUrl')?.default).toBe('https://api.weixin.qq.com');
});
