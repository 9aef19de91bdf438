const { base, withDynamoDBLocal } = require('../../jest.preset.cjs');

module.exports = {
  ...base,
  ...withDynamoDBLocal,
  displayName: 'api',
  // jose ships ESM only, like inversify: transform it too.
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|jose)/)'],
};
