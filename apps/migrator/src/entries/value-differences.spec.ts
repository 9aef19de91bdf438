import { valueDifferences } from './value-differences.ts';

const labels = { expected: 'in the file', actual: 'in the table' };

describe(valueDifferences.name, () => {
  it('when a key Object.prototype also has is on one side only, it is reported absent on the other', () => {
    expect(valueDifferences({ activities: { toString: 10 } }, { activities: {} }, labels)).toEqual([
      'activities.toString: 10 in the file, absent in the table',
    ]);
    expect(valueDifferences({ pain: {} }, { pain: { valueOf: '5' } }, labels)).toEqual(['pain.valueOf: absent in the file, "5" in the table']);
  });
});
