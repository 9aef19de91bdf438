import { findEpisodes, type TimeRun } from './glucose-episodes.ts';

const M = 60_000;
/** [start, end) in minutes → ms. */
const run = (start: number, end: number): TimeRun => [start * M, end * M];
const minutes = (episodes: TimeRun[]) => episodes.map(([start, end]) => [start / M, end / M]);

describe('glucose-episodes', () => {
  describe('.findEpisodes', () => {
    const allDay = [run(0, 1440)];

    it('when the time beyond lasts 15 minutes or more, counts an episode; 14 is not enough', () => {
      expect(minutes(findEpisodes([run(10, 25)], allDay))).toEqual([[10, 25]]);
      expect(findEpisodes([run(10, 24)], allDay)).toEqual([]);
    });

    it('when glucose comes back for less than 15 minutes, the episode goes on across it', () => {
      // 0–20 beyond, 20–34 back (14 min), 34–40 beyond → one episode 0–40
      expect(minutes(findEpisodes([run(0, 20), run(34, 40)], allDay))).toEqual([[0, 40]]);
    });

    it('when glucose is back for 15 minutes, the episode ends where it came back', () => {
      // 0–20 beyond, 20–35 back (15 min) → ends at 20; 35–60 beyond is a second episode
      expect(minutes(findEpisodes([run(0, 20), run(35, 60)], allDay))).toEqual([
        [0, 20],
        [35, 60],
      ]);
    });

    it('when CGM time goes missing, the episode ends where the data stop, even if the gap is short', () => {
      // covered 0–25 and 30–60: the 5-minute hole between two excursions ends the first
      expect(minutes(findEpisodes([run(0, 25), run(30, 50)], [run(0, 25), run(30, 60)]))).toEqual([
        [0, 25],
        [30, 50],
      ]);
    });

    it('when short excursions are separated by brief returns, none of them starts an episode', () => {
      // 10 + 10 minutes beyond with 2 minutes back: not 15 consecutive minutes
      expect(findEpisodes([run(0, 10), run(12, 22)], allDay)).toEqual([]);
    });
  });
});
