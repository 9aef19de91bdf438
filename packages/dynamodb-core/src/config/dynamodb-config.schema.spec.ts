import { VitalsError } from '../errors/vitals-error.ts';
import {
  DynamoDBConfigSchema,
  ERROR_ACCESS_KEY_REQUIRED,
  ERROR_SECRET_KEY_REQUIRED,
  parseDynamoDBConfig,
  type DynamoDBConfigInput,
} from './dynamodb-config.schema.ts';

const valid: DynamoDBConfigInput = { region_name: 'us-east-1' };

/** The `config.invalid` error parseDynamoDBConfig throws for `input`; fails the test when it does not throw one. */
function invalidConfigError(input: unknown): VitalsError<'config.invalid'> {
  try {
    parseDynamoDBConfig(input);
  } catch (error) {
    if (VitalsError.is(error, 'config.invalid')) return error;
    throw error;
  }
  throw new Error('expected parseDynamoDBConfig to throw config.invalid');
}

function issuePaths(input: unknown): string[] {
  return invalidConfigError(input).details.issues.map((issue) => issue.path);
}

describe('DynamoDBConfigSchema', () => {
  it('when the config is valid, accepts it', () => {
    expect(DynamoDBConfigSchema.safeParse(valid).success).toBe(true);
  });

  it('when a field is not part of the config, rejects it', () => {
    expect(DynamoDBConfigSchema.safeParse({ ...valid, region: 'us-east-1' }).success).toBe(false);
  });
});

describe(parseDynamoDBConfig.name, () => {
  describe('when the config is minimal', () => {
    it('applies 5 read and 5 write capacity units and leaves everything optional unset', () => {
      expect(parseDynamoDBConfig(valid)).toEqual({
        region_name: 'us-east-1',
        read_capacity_units: 5,
        write_capacity_units: 5,
      });
    });
  });

  describe('when the config is complete', () => {
    it('returns it unchanged', () => {
      const config = {
        region_name: 'eu-central-1',
        aws_access_key_id: 'AKIAEXAMPLE',
        aws_secret_access_key: 'secret',
        endpoint_url: 'https://dynamodb.eu-central-1.amazonaws.com',
        default_table_name: 'vitals-main',
        read_capacity_units: 7,
        write_capacity_units: 3,
      };
      expect(parseDynamoDBConfig(config)).toEqual(config);
    });
  });

  describe('region_name', () => {
    it.each(['us-east-1', 'eu-central-1', 'ap-southeast-2', 'us-gov-west-1'])('when it is %s, accepts it', (region) => {
      expect(parseDynamoDBConfig({ region_name: region }).region_name).toBe(region);
    });

    it.each([
      ['a made-up word', 'moon'],
      ['upper case', 'US-EAST-1'],
      ['missing its number', 'us-east'],
      ['a two-digit number', 'us-east-12'],
      ['empty', ''],
      ['surrounded by spaces', ' us-east-1 '],
    ])('when it is %s, rejects it naming region_name', (_label, region) => {
      const error = invalidConfigError({ region_name: region });
      expect(error.details.issues).toEqual([{ path: 'region_name', message: 'must be an AWS region such as us-east-1' }]);
    });

    it('when it is missing, rejects the config naming region_name', () => {
      expect(issuePaths({})).toEqual(['region_name']);
    });
  });

  describe('credentials', () => {
    it('when both the access key and the secret are given, accepts them', () => {
      const config = parseDynamoDBConfig({ ...valid, aws_access_key_id: 'AKIA', aws_secret_access_key: 'secret' });
      expect(config).toMatchObject({ aws_access_key_id: 'AKIA', aws_secret_access_key: 'secret' });
    });

    it('when the access key is given without the secret, says the secret is required', () => {
      const error = invalidConfigError({ ...valid, aws_access_key_id: 'AKIA' });
      expect(error.details.issues).toEqual([{ path: 'aws_secret_access_key', message: ERROR_SECRET_KEY_REQUIRED }]);
      expect(error.message).toContain(ERROR_SECRET_KEY_REQUIRED);
    });

    it('when the secret is given without the access key, says the access key is required', () => {
      const error = invalidConfigError({ ...valid, aws_secret_access_key: 'secret' });
      expect(error.details.issues).toEqual([{ path: 'aws_access_key_id', message: ERROR_ACCESS_KEY_REQUIRED }]);
      expect(error.message).toContain(ERROR_ACCESS_KEY_REQUIRED);
    });

    it('when the access key is an empty string, rejects it', () => {
      expect(issuePaths({ ...valid, aws_access_key_id: '', aws_secret_access_key: 'secret' })).toContain(
        'aws_access_key_id',
      );
    });
  });

  describe('endpoint_url', () => {
    it.each(['http://127.0.0.1:8000', 'https://dynamodb.us-east-1.amazonaws.com', 'http://localhost:8000/'])(
      'when it is %s, accepts it',
      (url) => {
        expect(parseDynamoDBConfig({ ...valid, endpoint_url: url }).endpoint_url).toBe(url);
      },
    );

    it.each([
      ['not a URL', 'localhost:8000 please'],
      ['a bare host', '127.0.0.1'],
      ['an ftp URL', 'ftp://dynamodb.example.com'],
      ['a file URL', 'file:///tmp/db'],
    ])('when it is %s, rejects it as not an http(s) URL', (_label, url) => {
      expect(invalidConfigError({ ...valid, endpoint_url: url }).details.issues).toEqual([
        { path: 'endpoint_url', message: 'must be an http(s) URL' },
      ]);
    });
  });

  describe.each(['read_capacity_units', 'write_capacity_units'] as const)('%s', (field) => {
    it('when it is absent, defaults to 5', () => {
      expect(parseDynamoDBConfig(valid)[field]).toBe(5);
    });

    it.each([1, 5, 40_000])('when it is %d, keeps it', (units) => {
      expect(parseDynamoDBConfig({ ...valid, [field]: units })[field]).toBe(units);
    });

    it.each([0, -1])('when it is %d, says it must be at least 1', (units) => {
      expect(invalidConfigError({ ...valid, [field]: units }).details.issues).toEqual([
        { path: field, message: 'must be at least 1' },
      ]);
    });

    it('when it is not an integer, says it must be an integer', () => {
      expect(invalidConfigError({ ...valid, [field]: 2.5 }).details.issues).toEqual([
        { path: field, message: 'must be an integer' },
      ]);
    });

    it('when it is a numeric string, rejects it', () => {
      expect(issuePaths({ ...valid, [field]: '5' })).toEqual([field]);
    });
  });

  describe('default_table_name', () => {
    it.each([
      ['3 characters', 'abc'],
      ['with a dash', 'vitals-main'],
      ['with upper case, underscore and dot', 'Vitals_Table.v2'],
      ['255 characters', 'x'.repeat(255)],
    ])('when it is %s, accepts it', (_label, name) => {
      expect(parseDynamoDBConfig({ ...valid, default_table_name: name }).default_table_name).toBe(name);
    });

    it.each([
      ['shorter than 3 characters', 'ab'],
      ['longer than 255 characters', 'x'.repeat(256)],
      ['containing a space', 'vitals main'],
      ['containing a slash', 'vitals/main'],
      ['empty', ''],
    ])('when it is %s, rejects it', (_label, name) => {
      expect(invalidConfigError({ ...valid, default_table_name: name }).details.issues).toEqual([
        { path: 'default_table_name', message: 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)' },
      ]);
    });
  });

  describe('when a field is not part of the config', () => {
    it('rejects it, naming the field', () => {
      const error = invalidConfigError({ ...valid, table_name: 'vitals' });
      expect(error.details.issues).toHaveLength(1);
      expect(error.details.issues[0].message).toContain('table_name');
    });
  });

  describe('when the input is not an object', () => {
    it.each([null, undefined, 'us-east-1', 42])('when it is %p, throws config.invalid', (input) => {
      expect(invalidConfigError(input).details.issues).toHaveLength(1);
    });
  });

  describe('when several fields are wrong', () => {
    it('reports every problem in one config.invalid error, each with its path', () => {
      const error = invalidConfigError({
        region_name: 'moon',
        aws_access_key_id: 'AKIA',
        endpoint_url: 'ftp://db',
        default_table_name: 'x',
        read_capacity_units: 0,
      });
      expect(error.code).toBe('config.invalid');
      expect(error.details.issues.map((issue) => issue.path).sort()).toEqual(
        ['aws_secret_access_key', 'default_table_name', 'endpoint_url', 'read_capacity_units', 'region_name'].sort(),
      );
      for (const path of ['region_name', 'endpoint_url', 'default_table_name', 'read_capacity_units']) {
        expect(error.message).toContain(path);
      }
    });

    it('when an unknown field comes with a key without its secret, reports both', () => {
      expect(issuePaths({ region_name: 'us-east-1', aws_access_key_id: 'AKIA', tableName: 'vitals' }).sort()).toEqual([
        '(config)',
        'aws_secret_access_key',
      ]);
    });

    it('when a capacity is not an integer and a key comes without its secret, reports both', () => {
      expect(issuePaths({ region_name: 'us-east-1', aws_access_key_id: 'AKIA', write_capacity_units: 2.5 }).sort()).toEqual([
        'aws_secret_access_key',
        'write_capacity_units',
      ]);
    });
  });
});
