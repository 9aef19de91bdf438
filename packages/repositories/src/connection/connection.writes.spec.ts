import { UNREAD, connectionUpdate } from './connection.writes.ts';

const NOW = new Date('2026-12-06T05:00:00.000Z');

describe('connectionUpdate', () => {
  it('planned from a read connection, holds only at the version read', () => {
    const update = connectionUpdate({ set: { last_sync_at: NOW.toISOString() } }, 7, NOW);
    expect(update.conditionExpression).toBe('#version = :seen_version');
    expect(update.expressionAttributeValues).toMatchObject({ ':seen_version': 7 });
  });

  it('planned unread, holds only while the job carries the schedule, and moves the newest reading only forward', () => {
    const change = { set: { newest_reading_at: '2026-12-06T04:00:00.000Z' }, chainedTo: 'job-1' };
    const update = connectionUpdate(change, UNREAD, NOW);
    expect(update.conditionExpression).toBe(
      '(attribute_not_exists(#newest_reading_at) OR #newest_reading_at <= :set_newest_reading_at) AND #status = :connected AND #next_job_id = :chained_to',
    );
    expect(update.expressionAttributeValues).not.toHaveProperty(':seen_version');
  });

  it('planned unread but not chained to a job, is refused: nothing would guard it', () => {
    expect(() => connectionUpdate({ set: { last_sync_at: NOW.toISOString() }, whileConnected: true }, UNREAD, NOW)).toThrow('chained');
  });
});
