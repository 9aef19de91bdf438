const { base, withDynamoDBLocal } = require('../../jest.preset.cjs');

module.exports = { ...base, ...withDynamoDBLocal, displayName: 'release' };
