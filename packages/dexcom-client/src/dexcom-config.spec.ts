import { DEFAULT_DEXCOM_TIMEOUT_MS, DEXCOM_BASE_URLS, parseDexcomConfig } from './dexcom-config.ts';
import { DexcomError } from './dexcom-error.ts';
import { SECRETS, clientConfig } from './test-support/dexcom-fixtures.ts';

function errorOf(run: () => unknown): DexcomError {
  try {
    run();
  } catch (error) {
    if (error instanceof DexcomError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('dexcom-config', () => {
  it("names Dexcom's documented hosts: sandbox, US, EU and Japan", () => {
    expect(DEXCOM_BASE_URLS).toEqual({
      sandbox: 'https://sandbox-api.dexcom.com',
      us: 'https://api.dexcom.com',
      eu: 'https://api.dexcom.eu',
      jp: 'https://api.dexcom.jp',
    });
  });

  describe('.parseDexcomConfig', () => {
    it('when the config is complete, keeps it, drops a trailing slash from the base URL and defaults the timeout', () => {
      const { timeoutMs: _timeout, ...config } = clientConfig(`${DEXCOM_BASE_URLS.eu}/`);
      expect(parseDexcomConfig(config)).toEqual({ ...config, baseUrl: DEXCOM_BASE_URLS.eu, timeoutMs: DEFAULT_DEXCOM_TIMEOUT_MS });
    });

    it('when fields are wrong, throws dexcom.invalidConfig naming each field', () => {
      const error = errorOf(() =>
        parseDexcomConfig({ ...clientConfig('ftp://dexcom.example'), clientId: '', redirectUri: 'callback', timeoutMs: 0 }),
      );
      expect(error.code).toBe('dexcom.invalidConfig');
      expect((error.details['problems'] as string[]).map((problem) => problem.split(':')[0])).toEqual([
        'baseUrl',
        'clientId',
        'redirectUri',
        'timeoutMs',
      ]);
    });

    it.each([
      ['a base URL with a query', clientConfig('https://api.dexcom.com?x=1')],
      ['a base URL with credentials', clientConfig('https://user:pass@api.dexcom.com')],
      ['an unknown field', { ...clientConfig(DEXCOM_BASE_URLS.us), secret: 'x' }],
      ['no client secret', { ...clientConfig(DEXCOM_BASE_URLS.us), clientSecret: undefined }],
    ])('when it has %s, throws dexcom.invalidConfig', (_name, config) => {
      expect(errorOf(() => parseDexcomConfig(config)).code).toBe('dexcom.invalidConfig');
    });

    it('when the client secret is given in the wrong field, the error does not repeat it', () => {
      const error = errorOf(() => parseDexcomConfig({ ...clientConfig(DEXCOM_BASE_URLS.us), redirectUri: SECRETS.clientSecret, timeoutMs: SECRETS.clientSecret }));
      expect(JSON.stringify(error.toJSON()) + error.message + String(error.stack)).not.toContain(SECRETS.clientSecret);
    });
  });
});
