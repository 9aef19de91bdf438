import { TEXT_LIMITS, isWellFormedText, textSchema } from './text.schema.ts';
import { GlucoseReadingInputSchema } from '../glucose-reading/glucose-reading.schema.ts';
import { HealthEntryInputSchema } from '../health-entry/health-entry.schema.ts';
import { UserTokenInputSchema } from '../user-token/user-token.schema.ts';

const LONE = '\ud800';
const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe(isWellFormedText.name, () => {
  it.each([
    ['plain text', 'Tylenol 500mg', true],
    ['an emoji (a surrogate pair)', 'walk 🚶', true],
    ['a lone high surrogate', `a${LONE}b`, false],
    ['a lone low surrogate', 'x\udc00', false],
    ['a pair in the wrong order', '\ude00\ud83d', false],
  ])('when given %s, says %s', (_label, text, expected) => {
    expect(isWellFormedText(text)).toBe(expected);
  });
});

describe('client text bounds', () => {
  it('when a string is over its bound, textSchema refuses it', () => {
    expect(textSchema(3).safeParse('abcd').success).toBe(false);
    expect(textSchema(3).safeParse('abc').success).toBe(true);
  });

  it('when a reading carries an oversized or ill-formed device field or source, refuses each at its path', () => {
    const result = GlucoseReadingInputSchema.safeParse({
      timestamp: '2026-01-01T00:00:00.000Z',
      glucose_value: 100,
      device_info: { device_id: 'x'.repeat(TEXT_LIMITS.short + 1), serial_number: LONE },
      source: 'y'.repeat(TEXT_LIMITS.short + 1),
    });
    expect(pathsOf(result)).toEqual(['device_info.device_id', 'device_info.serial_number', 'source']);
  });

  it('when a health entry has an oversized note, label, notation or map, or an ill-formed medication, refuses each', () => {
    const manyActivities = Object.fromEntries(Array.from({ length: TEXT_LIMITS.mapEntries + 1 }, (_, i) => [`a${i}`, 1]));
    const result = HealthEntryInputSchema.safeParse({
      pain: { ['b'.repeat(TEXT_LIMITS.short + 1)]: '5' },
      activities: manyActivities,
      note: 'n'.repeat(TEXT_LIMITS.long + 1),
      bpr: '1'.repeat(65),
    });
    expect(pathsOf(result).sort()).toEqual(['activities', 'bpr', 'note', `pain.${'b'.repeat(TEXT_LIMITS.short + 1)}`].sort());
    expect(pathsOf(HealthEntryInputSchema.safeParse({ medications: { [`Tyl${LONE}`]: '1' } }))).toEqual([`medications.Tyl${LONE}`]);
  });

  it('when an OAuth token is not well-formed text, refuses it rather than let encryption alter it', () => {
    const result = UserTokenInputSchema.safeParse({ access_token: `a${LONE}`, refresh_token: 'r', token_type: 'Bearer', scope: '', expires_at: 1 });
    expect(pathsOf(result)).toEqual(['access_token']);
  });
});
