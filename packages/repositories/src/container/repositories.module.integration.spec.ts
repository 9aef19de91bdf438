import { randomBytes } from 'node:crypto';
import { DailySummaryRepository } from '../daily-summary/daily-summary.repository.ts';
import { GlucoseReadingRepository } from '../glucose-reading/glucose-reading.repository.ts';
import { HealthEntryRepository } from '../health-entry/health-entry.repository.ts';
import { HealthLogService } from '../health-log/health-log.service.ts';
import { SyncJobRepository } from '../sync-job/sync-job.repository.ts';
import { testContainer } from '../test-support/dynamodb-local.ts';
import { UserTokenRepository } from '../user-token/user-token.repository.ts';
import { repositoriesModule } from './repositories.module.ts';

describe(repositoriesModule.name, () => {
  it('binds every repository as a singleton that works against DynamoDB Local', async () => {
    const { container } = await testContainer();
    for (const repository of [
      GlucoseReadingRepository,
      UserTokenRepository,
      SyncJobRepository,
      HealthEntryRepository,
      DailySummaryRepository,
      HealthLogService,
    ]) {
      expect(container.get<object>(repository)).toBe(container.get<object>(repository));
    }
    const readings = container.get(GlucoseReadingRepository);
    await readings.save('u1', { timestamp: '2026-01-01T00:00:00.000Z', glucose_value: 100, device_info: { device_id: 'd', serial_number: 's' } });
    expect((await readings.latest('u1'))?.glucose_value).toBe(100);
    await container.unbindAll();
  });

  it('refuses a short cursor secret or a bad token key ring before anything is bound', () => {
    const tokenKeys = { current_key_id: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
    const settings = { table_prefix: '', strict: false, cursor_secret: 'short' };
    expect(() => repositoriesModule({ settings, tokenKeys })).toThrow(/cursor_secret must be at least 16/);
    expect(() =>
      repositoriesModule({
        settings: { ...settings, cursor_secret: 'long-enough-cursor-secret' },
        tokenKeys: { current_key_id: 'k2', keys: { k1: 'not-32-bytes' } },
      }),
    ).toThrow(/k2|k1/);
  });
});
