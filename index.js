// n8n loads this package through the "n8n" field of package.json; this entry exists for tools that require() it.
module.exports = {};
