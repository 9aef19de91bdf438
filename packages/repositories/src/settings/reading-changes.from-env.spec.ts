import { readingChangesFromEnv } from './reading-changes.from-env.ts';

describe('readingChangesFromEnv', () => {
  it('when the variables are absent, leaves both settings to the repository defaults', () => {
    expect(readingChangesFromEnv({})).toEqual({ settings: {}, issues: [] });
  });

  it('when both are set, reads them as integers', () => {
    expect(readingChangesFromEnv({ READING_TOMBSTONE_RETENTION_DAYS: '30', READING_CHANGES_SETTLE_MS: '0' }).settings).toEqual({
      reading_tombstone_retention_days: 30,
      reading_changes_settle_ms: 0,
    });
  });

  it('when a value is not an integer in bounds, names the variable and what it must be', () => {
    const { settings, issues } = readingChangesFromEnv({ READING_TOMBSTONE_RETENTION_DAYS: '0', READING_CHANGES_SETTLE_MS: '5s' });
    expect(settings).toEqual({});
    expect(issues).toEqual([
      { path: 'READING_TOMBSTONE_RETENTION_DAYS', message: 'must be an integer 1..3650 (got "0")' },
      { path: 'READING_CHANGES_SETTLE_MS', message: 'must be an integer 0..3600000 (got "5s")' },
    ]);
  });
});
