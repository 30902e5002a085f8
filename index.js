// The package's main, for code that requires the package; n8n itself loads the classes through package.json's n8n field.
const { WechatCustomerService } = require('./dist/nodes/WeChatCustomerService/WechatCustomerService.node.js');
const { WeChatOfficialAccountApi } = require('./dist/credentials/WeChatOfficialAccountApi.credentials.js');

module.exports = { WechatCustomerService, WeChatOfficialAccountApi };
