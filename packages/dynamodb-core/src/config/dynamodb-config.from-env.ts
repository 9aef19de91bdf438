import { invalidConfig, validateDynamoDBConfig, type DynamoDBConfig } from './dynamodb-config.schema.ts';

export type EnvLike = Readonly<Record<string, string | undefined>>;

/** Where the configured endpoint points (`DYNAMODB_ENDPOINT`). */
export type DynamoDBEndpointMode =
  /** A DynamoDB Local on 127.0.0.1:`port` that the app reuses or starts. */
  | { mode: 'embedded'; port: number }
  /** The AWS regional endpoint with the default credential chain. */
  | { mode: 'aws' }
  /** An explicit http(s) URL. */
  | { mode: 'url' };

export interface DynamoDBSettings {
  config: DynamoDBConfig;
  endpoint: DynamoDBEndpointMode;
}

/** Which environment variable feeds which config field, for error messages. */
const VARIABLE_OF_FIELD: Record<string, string> = {
  region_name: 'AWS_REGION',
  aws_access_key_id: 'AWS_ACCESS_KEY_ID',
  aws_secret_access_key: 'AWS_SECRET_ACCESS_KEY',
  endpoint_url: 'DYNAMODB_ENDPOINT',
  default_table_name: 'DYNAMODB_DEFAULT_TABLE',
  read_capacity_units: 'DYNAMODB_READ_CAPACITY_UNITS',
  write_capacity_units: 'DYNAMODB_WRITE_CAPACITY_UNITS',
  connect_timeout_ms: 'DYNAMODB_CONNECT_TIMEOUT_MS',
  request_timeout_ms: 'DYNAMODB_REQUEST_TIMEOUT_MS',
  operation_timeout_ms: 'DYNAMODB_OPERATION_TIMEOUT_MS',
};

/** DynamoDB Local accepts any credentials; these are used when none are given for it. */
const LOCAL_CREDENTIALS = { aws_access_key_id: 'local', aws_secret_access_key: 'local' };

/**
 * Builds the DynamoDB configuration from environment variables (pure: pass
 * `process.env` or any object). Reads `AWS_REGION` (default `us-east-1`),
 * `DYNAMODB_ENDPOINT` (`embedded` | `aws` | an http(s) URL; default
 * `embedded`, or `aws` when `NODE_ENV=production`), `DYNAMODB_LOCAL_PORT`
 * (default 8000), `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`,
 * `DYNAMODB_DEFAULT_TABLE`, `DYNAMODB_READ_CAPACITY_UNITS`,
 * `DYNAMODB_WRITE_CAPACITY_UNITS`, `DYNAMODB_CONNECT_TIMEOUT_MS`,
 * `DYNAMODB_REQUEST_TIMEOUT_MS`, `DYNAMODB_OPERATION_TIMEOUT_MS`. Throws one `config.invalid` error that
 * names every bad variable.
 */
export function dynamoDBSettingsFromEnv(env: EnvLike): DynamoDBSettings {
  const issues: { path: string; message: string }[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const integer = (name: string, min: number, max: number): number | undefined => {
    const raw = value(name);
    if (raw === undefined) return undefined;
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      issues.push({ path: name, message: `must be an integer ${min}..${max} (got "${raw}")` });
      return undefined;
    }
    return parsed;
  };

  const production = value('NODE_ENV') === 'production';
  const endpointSetting = value('DYNAMODB_ENDPOINT') ?? (production ? 'aws' : 'embedded');
  const localPort = integer('DYNAMODB_LOCAL_PORT', 1, 65_535) ?? 8000;

  let endpoint: DynamoDBEndpointMode;
  let endpointUrl: string | undefined;
  if (endpointSetting === 'embedded') {
    endpoint = { mode: 'embedded', port: localPort };
    endpointUrl = `http://127.0.0.1:${localPort}`;
  } else if (endpointSetting === 'aws') {
    endpoint = { mode: 'aws' };
  } else {
    endpoint = { mode: 'url' };
    endpointUrl = endpointSetting;
  }

  const keys = {
    aws_access_key_id: value('AWS_ACCESS_KEY_ID'),
    aws_secret_access_key: value('AWS_SECRET_ACCESS_KEY'),
  };
  const noKeys = keys.aws_access_key_id === undefined && keys.aws_secret_access_key === undefined;
  const candidate = {
    region_name: value('AWS_REGION') ?? 'us-east-1',
    ...(noKeys && endpoint.mode === 'embedded' ? LOCAL_CREDENTIALS : keys),
    endpoint_url: endpointUrl,
    default_table_name: value('DYNAMODB_DEFAULT_TABLE'),
    read_capacity_units: integer('DYNAMODB_READ_CAPACITY_UNITS', 1, 1_000_000),
    write_capacity_units: integer('DYNAMODB_WRITE_CAPACITY_UNITS', 1, 1_000_000),
    connect_timeout_ms: integer('DYNAMODB_CONNECT_TIMEOUT_MS', 1, 600_000),
    request_timeout_ms: integer('DYNAMODB_REQUEST_TIMEOUT_MS', 1, 600_000),
    operation_timeout_ms: integer('DYNAMODB_OPERATION_TIMEOUT_MS', 1, 600_000),
  };

  const result = validateDynamoDBConfig(candidate);
  for (const issue of 'issues' in result ? result.issues : []) {
    const field = issue.path.split('.')[0] ?? '';
    const variable = VARIABLE_OF_FIELD[field] ?? field;
    const given = value(variable);
    const message = issue.message.replace(/aws_(secret_access_key|access_key_id)/g, (name) => VARIABLE_OF_FIELD[name] ?? name);
    issues.push({
      path: variable,
      message:
        variable === 'DYNAMODB_ENDPOINT'
          ? `must be "embedded", "aws" or an http(s) URL (got "${given}")`
          : given === undefined || variable === 'AWS_SECRET_ACCESS_KEY'
            ? message
            : `${message} (got "${given}")`,
    });
  }
  if (issues.length > 0 || !('config' in result)) {
    throw invalidConfig('Invalid DynamoDB environment', issues);
  }
  return { config: result.config, endpoint };
}
