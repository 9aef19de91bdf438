import { GlucoseReadingInputSchema } from '../glucose-reading/glucose-reading.schema.ts';
import { SyncJobInputSchema } from '../sync-job/sync-job.schema.ts';
import { PLAUSIBLE_SINCE, readingTimeProblem, syncJobTimeProblems } from './plausibility.ts';

const now = new Date('2026-05-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
const HOUR = 3_600_000;

describe('plausibility', () => {
  describe(readingTimeProblem.name, () => {
    it.each([at(0), at(24 * HOUR), at(-365 * 24 * HOUR), PLAUSIBLE_SINCE])('when the reading is at %s, it is plausible', (timestamp) => {
      expect(readingTimeProblem(timestamp, now)).toBeUndefined();
    });

    it.each([
      [at(24 * HOUR + 1), /more than 24 h after the server's time \(2026-05-01T12:00:00\.000Z\)/],
      ['2099-01-01T00:00:00.000Z', /more than 24 h after/],
      ['1979-12-31T23:59:59.999Z', /must not be before 1980-01-01T00:00:00\.000Z/],
      ['0000-01-01T00:00:00.000Z', /must not be before 1980/],
    ])('when the reading is at %s, it is refused', (timestamp, message) => {
      expect(readingTimeProblem(timestamp, now)).toMatch(message);
    });
  });

  describe(syncJobTimeProblems.name, () => {
    const window = { window_start: '2026-04-30T00:00:00.000Z', window_end: '2026-05-01T00:00:00.000Z' };

    it('when the window is past and the job due within a year, there is no problem', () => {
      expect(syncJobTimeProblems({ ...window, scheduled_at: at(365 * 24 * HOUR) }, now)).toEqual([]);
    });

    it('when the job is scheduled in 9999 and its window ends in 2099, each field is named', () => {
      expect(syncJobTimeProblems({ window_start: window.window_start, window_end: '2099-01-01T00:00:00.000Z', scheduled_at: '9999-01-01T00:00:00.000Z' }, now)).toEqual([
        { path: 'window_end', message: expect.stringContaining('more than 24 h after') },
        { path: 'scheduled_at', message: expect.stringContaining('more than 366 days after') },
      ]);
    });
  });

  describe('input schemas (the bound that needs no clock)', () => {
    const reading = (timestamp: unknown) => ({ timestamp, glucose_value: 100, device_info: { device_id: 'g7', serial_number: 'S' } });

    it.each(['0000-01-01T00:00:00Z', '1900-01-01T00:00:00Z', 0, 1_700_000_000])('when a reading is at %s, it is refused at timestamp', (timestamp) => {
      const result = GlucoseReadingInputSchema.safeParse(reading(timestamp));
      expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['timestamp'], message: `must not be before ${PLAUSIBLE_SINCE}` })]);
    });

    it('when a sync window starts in 1900, it is refused at window_start', () => {
      const result = SyncJobInputSchema.safeParse({ provider: 'dexcom', window_start: '1900-01-01T00:00:00Z', window_end: '2026-01-01T00:00:00Z' });
      expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['window_start'] })]);
    });
  });
});
