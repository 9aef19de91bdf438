import { dateOfDayKey, datesOfYear, dayKeyOf, parseFileDay, toFileRecord } from './entries-format.ts';

describe('entries.json format', () => {
  describe(dateOfDayKey.name, () => {
    it('maps MMDD to a day of the given year, leap days only in leap years', () => {
      expect(dateOfDayKey('0523', 2025)).toBe('2025-05-23');
      expect(dateOfDayKey('0229', 2024)).toBe('2024-02-29');
      expect(dateOfDayKey('0229', 2025)).toBeUndefined();
      for (const key of ['1301', '0000', '523', '05-23', '0532']) expect(dateOfDayKey(key, 2025)).toBeUndefined();
    });

    it('round-trips with dayKeyOf over every day of a year', () => {
      const dates = [...datesOfYear(2024)];
      expect(dates).toHaveLength(366);
      expect(dates[0]).toBe('2024-01-01');
      expect(dates.at(-1)).toBe('2024-12-31');
      for (const date of dates) expect(dateOfDayKey(dayKeyOf(date), 2024)).toBe(date);
    });
  });

  describe(parseFileDay.name, () => {
    it('turns each record into the stored entry, derived attributes filled, the first medication primary', () => {
      const day = parseFileDay(
        '0523',
        { '1300': { Medications: { oxycodone: '5mg', journavx: '100mg' }, Pain: { back: '6-7-8', quads: '9' }, Activities: { walking: 16 }, o2: '88', bpr: '129/59', note: 'n', sleep: '7:39' } },
        2025,
      );
      expect(day).toMatchObject({ date: '2025-05-23', records: 1, problems: [] });
      expect(day.entries[0]).toMatchObject({
        path: '0523/1300',
        time: '1300',
        entry: { date: '2025-05-23', timestamp: '1300', medication_taken: 'oxycodone', max_pain_level: 9, systolic: 129, diastolic: 59, sleep_minutes: 459, o2_percent: 88 },
      });
    });

    it('treats absent Medications, Pain and Activities as empty', () => {
      const day = parseFileDay('0101', { '0800': { note: 'only a note' } }, 2025);
      expect(day.entries[0]?.input).toEqual({ medications: {}, pain: {}, activities: {}, note: 'only a note' });
    });

    it('reports each bad record at its path and keeps the good ones of the same day', () => {
      const day = parseFileDay('0523', { '0800': { Pain: { back: '6-x-8' }, sleep: '7h' }, '0900': { note: 'fine' }, '9999': {} }, 2025);
      expect(day.entries.map((entry) => entry.time)).toEqual(['0900']);
      // Integer-like keys ("9999") come first in a JS object, whatever the file's order.
      expect(day.problems).toHaveLength(3);
      expect(day.problems).toEqual(
        expect.arrayContaining([
          { where: '0523/0800', reason: 'pain.back "6-x-8" is not a pain level' },
          { where: '0523/0800', reason: 'sleep "7h" is not a sleep duration' },
          { where: '0523/9999', reason: 'time "9999" is not HHMM (0000..2359)' },
        ]),
      );
    });

    it('checks values with the schema the repository applies: what it would reject is reported here', () => {
      const day = parseFileDay('0101', { '0800': { note: 'good' }, '0900': { Pain: { '': '5' } }, '1000': { Activities: { walking: -1 } }, '1100': { Mood: 'x' } }, 2025);
      expect(day.entries.map((entry) => entry.time)).toEqual(['0800']);
      expect(day.problems).toHaveLength(3);
      expect(day.problems).toEqual(
        expect.arrayContaining([
          { where: '0101/0900', reason: expect.stringMatching(/^Pain\."": /) },
          { where: '0101/1000', reason: expect.stringMatching(/^Activities\.walking: /) },
          { where: '0101/1100', reason: expect.stringContaining('unknown field "Mood"') },
        ]),
      );
    });

    it('reports a day that is not an object, or not a day of the year, once with the records it holds', () => {
      expect(parseFileDay('0523', [1, 2], 2025)).toMatchObject({ records: 1, entries: [], problems: [{ where: '0523', reason: expect.stringContaining('got an array') }] });
      expect(parseFileDay('0230', { '0800': {}, '0900': {} }, 2025)).toMatchObject({ records: 2, problems: [{ where: '0230' }] });
    });
  });

  describe(toFileRecord.name, () => {
    it('writes the reference shape back with the primary medication first, whatever order the map came in', () => {
      const record = toFileRecord({
        date: '2025-05-23',
        timestamp: '1300',
        medications: { journavx: '100mg', oxycodone: '5mg' },
        pain: {},
        activities: {},
        medication_taken: 'oxycodone',
        bpr: '129/59',
        systolic: 129,
        diastolic: 59,
      });
      expect(record).toEqual({ Medications: { oxycodone: '5mg', journavx: '100mg' }, Pain: {}, Activities: {}, bpr: '129/59' });
      expect(Object.keys(record.Medications ?? {})).toEqual(['oxycodone', 'journavx']);
    });
  });
});
