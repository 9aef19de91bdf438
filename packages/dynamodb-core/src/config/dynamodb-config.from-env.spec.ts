import { VitalsError } from '../errors/vitals-error.ts';
import { dynamoDBSettingsFromEnv, type EnvLike } from './dynamodb-config.from-env.ts';

/** The `config.invalid` error for `env`; fails the test when none is thrown. */
function envError(env: EnvLike): VitalsError<'config.invalid'> {
  try {
    dynamoDBSettingsFromEnv(env);
  } catch (error) {
    if (VitalsError.is(error, 'config.invalid')) return error;
    throw error;
  }
  throw new Error('expected dynamoDBSettingsFromEnv to throw config.invalid');
}

describe(dynamoDBSettingsFromEnv.name, () => {
  describe('when the environment is empty', () => {
    it('uses an embedded DynamoDB Local on 127.0.0.1:8000 in us-east-1 with dummy credentials', () => {
      expect(dynamoDBSettingsFromEnv({})).toEqual({
        endpoint: { mode: 'embedded', port: 8000 },
        config: {
          region_name: 'us-east-1',
          endpoint_url: 'http://127.0.0.1:8000',
          aws_access_key_id: 'local',
          aws_secret_access_key: 'local',
          read_capacity_units: 5,
          write_capacity_units: 5,
        },
      });
    });

    it('sets no default table', () => {
      expect(dynamoDBSettingsFromEnv({}).config.default_table_name).toBeUndefined();
    });
  });

  describe('when variables are blank', () => {
    it('treats them as unset', () => {
      const settings = dynamoDBSettingsFromEnv({ AWS_REGION: '  ', DYNAMODB_ENDPOINT: '', DYNAMODB_LOCAL_PORT: ' ' });
      expect(settings.endpoint).toEqual({ mode: 'embedded', port: 8000 });
      expect(settings.config.region_name).toBe('us-east-1');
    });
  });

  describe('when NODE_ENV is production', () => {
    it('uses the AWS regional endpoint with the default credential chain', () => {
      const settings = dynamoDBSettingsFromEnv({ NODE_ENV: 'production', AWS_REGION: 'eu-west-1' });
      expect(settings.endpoint).toEqual({ mode: 'aws' });
      expect(settings.config.region_name).toBe('eu-west-1');
      expect(settings.config.endpoint_url).toBeUndefined();
      expect(settings.config.aws_access_key_id).toBeUndefined();
      expect(settings.config.aws_secret_access_key).toBeUndefined();
    });

    it('still honours an explicit DYNAMODB_ENDPOINT', () => {
      const settings = dynamoDBSettingsFromEnv({ NODE_ENV: 'production', DYNAMODB_ENDPOINT: 'embedded' });
      expect(settings.endpoint).toEqual({ mode: 'embedded', port: 8000 });
      expect(settings.config.endpoint_url).toBe('http://127.0.0.1:8000');
    });
  });

  describe('when DYNAMODB_ENDPOINT is aws', () => {
    it('sets no endpoint and no credentials outside production too', () => {
      const settings = dynamoDBSettingsFromEnv({ DYNAMODB_ENDPOINT: 'aws' });
      expect(settings.endpoint).toEqual({ mode: 'aws' });
      expect(settings.config.endpoint_url).toBeUndefined();
      expect(settings.config.aws_access_key_id).toBeUndefined();
    });

    it('passes explicit credentials through', () => {
      const settings = dynamoDBSettingsFromEnv({
        DYNAMODB_ENDPOINT: 'aws',
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrEXAMPLE',
      });
      expect(settings.config).toMatchObject({ aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 'wJalrEXAMPLE' });
    });
  });

  describe('when DYNAMODB_ENDPOINT is a URL', () => {
    it('uses that URL in url mode, with the default credential chain when no keys are given', () => {
      const settings = dynamoDBSettingsFromEnv({ DYNAMODB_ENDPOINT: 'http://dynamodb.internal:8000' });
      expect(settings.endpoint).toEqual({ mode: 'url' });
      expect(settings.config.endpoint_url).toBe('http://dynamodb.internal:8000');
      expect(settings.config.aws_access_key_id).toBeUndefined();
    });

    it('ignores DYNAMODB_LOCAL_PORT', () => {
      const settings = dynamoDBSettingsFromEnv({ DYNAMODB_ENDPOINT: 'https://db.example.com', DYNAMODB_LOCAL_PORT: '9000' });
      expect(settings.config.endpoint_url).toBe('https://db.example.com');
    });
  });

  describe('when DYNAMODB_LOCAL_PORT is set', () => {
    it('runs the embedded DynamoDB Local on that port', () => {
      const settings = dynamoDBSettingsFromEnv({ DYNAMODB_LOCAL_PORT: '8123' });
      expect(settings.endpoint).toEqual({ mode: 'embedded', port: 8123 });
      expect(settings.config.endpoint_url).toBe('http://127.0.0.1:8123');
    });
  });

  describe('when embedded credentials are given', () => {
    it('uses them instead of the dummy ones', () => {
      const settings = dynamoDBSettingsFromEnv({ AWS_ACCESS_KEY_ID: 'mine', AWS_SECRET_ACCESS_KEY: 'also-mine' });
      expect(settings.config).toMatchObject({ aws_access_key_id: 'mine', aws_secret_access_key: 'also-mine' });
    });
  });

  describe('when capacity variables are set', () => {
    it('uses them', () => {
      const settings = dynamoDBSettingsFromEnv({ DYNAMODB_READ_CAPACITY_UNITS: '12', DYNAMODB_WRITE_CAPACITY_UNITS: '3' });
      expect(settings.config).toMatchObject({ read_capacity_units: 12, write_capacity_units: 3 });
    });
  });

  describe('when the timeout variables are set', () => {
    it('uses them, and leaves them unset (the client defaults) otherwise', () => {
      const settings = dynamoDBSettingsFromEnv({
        DYNAMODB_CONNECT_TIMEOUT_MS: '1000',
        DYNAMODB_REQUEST_TIMEOUT_MS: '2000',
        DYNAMODB_OPERATION_TIMEOUT_MS: '4000',
      });
      expect(settings.config).toMatchObject({ connect_timeout_ms: 1_000, request_timeout_ms: 2_000, operation_timeout_ms: 4_000 });
      expect(dynamoDBSettingsFromEnv({}).config.operation_timeout_ms).toBeUndefined();
    });

    it('when one is not a positive integer, names it', () => {
      expect(envError({ DYNAMODB_OPERATION_TIMEOUT_MS: '0' }).details.issues).toEqual([
        { path: 'DYNAMODB_OPERATION_TIMEOUT_MS', message: 'must be an integer 1..600000 (got "0")' },
      ]);
    });
  });

  describe('when DYNAMODB_DEFAULT_TABLE is set', () => {
    it('uses it as the default table', () => {
      expect(dynamoDBSettingsFromEnv({ DYNAMODB_DEFAULT_TABLE: 'vitals-main' }).config.default_table_name).toBe(
        'vitals-main',
      );
    });
  });

  describe('when one variable is bad', () => {
    it.each([
      ['AWS_REGION', { AWS_REGION: 'moon' }, 'moon'],
      ['DYNAMODB_LOCAL_PORT', { DYNAMODB_LOCAL_PORT: '70000' }, '70000'],
      ['DYNAMODB_LOCAL_PORT', { DYNAMODB_LOCAL_PORT: 'eighty' }, 'eighty'],
      ['DYNAMODB_ENDPOINT', { DYNAMODB_ENDPOINT: 'ftp://db.example.com' }, 'ftp://db.example.com'],
      ['DYNAMODB_ENDPOINT', { DYNAMODB_ENDPOINT: 'local' }, 'local'],
      ['DYNAMODB_READ_CAPACITY_UNITS', { DYNAMODB_READ_CAPACITY_UNITS: '0' }, '0'],
      ['DYNAMODB_WRITE_CAPACITY_UNITS', { DYNAMODB_WRITE_CAPACITY_UNITS: '2.5' }, '2.5'],
      ['DYNAMODB_DEFAULT_TABLE', { DYNAMODB_DEFAULT_TABLE: 'no spaces allowed' }, 'no spaces allowed'],
    ])('when %s is bad, names that variable and quotes the value', (variable, env, given) => {
      const error = envError(env);
      expect(error.details.issues).toHaveLength(1);
      expect(error.details.issues[0].path).toBe(variable);
      expect(error.details.issues[0].message).toContain(`"${given}"`);
      expect(error.message).toContain(variable);
    });

    it('when DYNAMODB_ENDPOINT is bad, lists the accepted forms', () => {
      expect(envError({ DYNAMODB_ENDPOINT: 'local' }).details.issues[0].message).toBe(
        'must be "embedded", "aws" or an http(s) URL (got "local")',
      );
    });

    it('when AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY, names the missing secret in env terms', () => {
      expect(envError({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }).details.issues).toEqual([
        { path: 'AWS_SECRET_ACCESS_KEY', message: 'AWS_SECRET_ACCESS_KEY is required when AWS_ACCESS_KEY_ID is set' },
      ]);
    });

    it('when AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID, names the missing key in env terms', () => {
      expect(envError({ DYNAMODB_ENDPOINT: 'aws', AWS_SECRET_ACCESS_KEY: 'wJalrEXAMPLE' }).details.issues).toEqual([
        { path: 'AWS_ACCESS_KEY_ID', message: 'AWS_ACCESS_KEY_ID is required when AWS_SECRET_ACCESS_KEY is set' },
      ]);
    });
  });

  describe('when many variables are bad', () => {
    const env = {
      AWS_REGION: 'moon',
      DYNAMODB_ENDPOINT: 'ftp://db.example.com',
      DYNAMODB_LOCAL_PORT: '0',
      DYNAMODB_READ_CAPACITY_UNITS: 'lots',
      DYNAMODB_WRITE_CAPACITY_UNITS: '-3',
      DYNAMODB_DEFAULT_TABLE: 'x',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    };

    it('reports every one in a single config.invalid error naming each variable', () => {
      const error = envError(env);
      const variables = [
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'DYNAMODB_DEFAULT_TABLE',
        'DYNAMODB_ENDPOINT',
        'DYNAMODB_LOCAL_PORT',
        'DYNAMODB_READ_CAPACITY_UNITS',
        'DYNAMODB_WRITE_CAPACITY_UNITS',
      ];
      expect(error.details.issues.map((issue) => issue.path).sort()).toEqual(variables);
      for (const variable of variables) expect(error.message).toContain(variable);
    });

    it('never reveals the secret access key, wherever the problems are', () => {
      const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRET';
      const error = envError({ ...env, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: secret });
      expect(error.details.issues.map((issue) => issue.path)).toContain('AWS_ACCESS_KEY_ID');
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify(error.details)).not.toContain(secret);
    });
  });
});
