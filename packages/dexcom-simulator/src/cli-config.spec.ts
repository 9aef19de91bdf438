import { cliOptions } from './cli-config.ts';

describe('cliOptions', () => {
  it('has development defaults', () => {
    expect(cliOptions({ DEXCOM_SIMULATOR_TIME_ZONE: 'Europe/Berlin' })).toEqual({
      port: 8100,
      host: '127.0.0.1',
      clientId: 'vitals-dev',
      clientSecret: 'vitals-dev-secret',
      users: [{ login: 'demo', timeZone: 'Europe/Berlin', displayDevice: 'iOS' }],
      dataDelayMs: 3_600_000,
    });
  });

  it('takes the environment, and names every bad variable', () => {
    expect(
      cliOptions({ DEXCOM_SIMULATOR_PORT: '0', DEXCOM_CLIENT_ID: 'id', DEXCOM_REDIRECT_URI: 'http://localhost/cb', DEXCOM_SIMULATOR_DATA_DELAY_MINUTES: '180' }),
    ).toMatchObject({ port: 0, clientId: 'id', redirectUris: ['http://localhost/cb'], dataDelayMs: 180 * 60_000 });
    expect(() => cliOptions({ DEXCOM_SIMULATOR_PORT: 'x', DEXCOM_SIMULATOR_DATA_DELAY_MINUTES: '-1' })).toThrow(
      /DEXCOM_SIMULATOR_PORT must be an integer.*DEXCOM_SIMULATOR_DATA_DELAY_MINUTES must be an integer/,
    );
  });
});
