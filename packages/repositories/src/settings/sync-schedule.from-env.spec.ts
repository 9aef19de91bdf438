import { DEFAULT_SYNC_SCHEDULE } from './repository-settings.ts';
import { syncScheduleFromEnv } from './sync-schedule.from-env.ts';

describe('syncScheduleFromEnv', () => {
  it('when nothing is set, gives the default schedule', () => {
    expect(syncScheduleFromEnv({})).toEqual({ schedule: DEFAULT_SYNC_SCHEDULE, issues: [] });
  });

  it('when each variable is set, takes it', () => {
    const env = { SYNC_INTERVAL_MS: '60000', SYNC_OVERLAP_MS: '0', SYNC_BACKFILL_DAYS: ' 30 ', SYNC_MAX_ATTEMPTS: '8' };
    expect(syncScheduleFromEnv(env)).toEqual({ schedule: { interval_ms: 60_000, overlap_ms: 0, backfill_days: 30, max_attempts: 8 }, issues: [] });
  });

  it.each([
    ['SYNC_INTERVAL_MS', '5 min'],
    ['SYNC_OVERLAP_MS', '-1'],
    ['SYNC_BACKFILL_DAYS', '0'],
    ['SYNC_MAX_ATTEMPTS', '101'],
  ])('when %s is %s, names it with its bounds and keeps the default', (name, value) => {
    const { schedule, issues } = syncScheduleFromEnv({ [name]: value });
    expect(schedule).toEqual(DEFAULT_SYNC_SCHEDULE);
    expect(issues).toEqual([{ path: name, message: expect.stringMatching(new RegExp(`^must be an integer \\d+\\.\\.\\d+ \\(got "${value}"\\)$`)) }]);
  });
});
