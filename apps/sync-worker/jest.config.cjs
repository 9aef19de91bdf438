const { base, withDynamoDBLocal } = require('../../jest.preset.cjs');

module.exports = { ...base, ...withDynamoDBLocal, displayName: 'sync-worker' };
