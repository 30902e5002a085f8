import { VersionedNodeType } from 'n8n-workflow';

import { WechatCustomerServiceV1 } from './v1/WechatCustomerServiceV1.node';
import { WechatCustomerServiceV2 } from './v2/WechatCustomerServiceV2.node';

/** v2 puts Upload Avatar first and makes the workflow-token mode reachable in the editor; v1 runs saved workflows. */
export class WechatCustomerService extends VersionedNodeType {
	constructor() {
		const latest = new WechatCustomerServiceV2();
		const { displayName, name, icon, group, description } = latest.description;
		super(
			{ 1: new WechatCustomerServiceV1(), 2: latest },
			{ displayName, name, icon, group, description, defaultVersion: 2 },
		);
	}
}
