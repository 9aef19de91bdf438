const { base } = require('../../jest.preset.cjs');

module.exports = { ...base, displayName: 'dexcom-simulator' };
