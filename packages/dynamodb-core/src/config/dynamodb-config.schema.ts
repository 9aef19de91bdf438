import { z } from 'zod';
import { VitalsError } from '../errors/vitals-error.ts';

/** `us-east-1`, `eu-central-1`, `us-gov-west-1`, … */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const ERROR_SECRET_KEY_REQUIRED = 'aws_secret_access_key is required when aws_access_key_id is set';
export const ERROR_ACCESS_KEY_REQUIRED = 'aws_access_key_id is required when aws_secret_access_key is set';

const capacityUnits = z.number().int('must be an integer').min(1, 'must be at least 1').default(5);
/** Optional so a config without them stays as given; `createClients` applies DEFAULT_TIMEOUTS. */
const timeoutMs = z.number().int('must be an integer').min(1, 'must be at least 1').max(600_000, 'must be at most 600000').optional();

/** Configuration of a DynamoDBService; field names are snake_case, as in storage and on the wire. */
export const DynamoDBConfigSchema = z
  .strictObject({
    region_name: z.string().regex(AWS_REGION_PATTERN, 'must be an AWS region such as us-east-1'),
    aws_access_key_id: z.string().min(1).optional(),
    aws_secret_access_key: z.string().min(1).optional(),
    endpoint_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    default_table_name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)')
      .optional(),
    read_capacity_units: capacityUnits,
    write_capacity_units: capacityUnits,
    /** How long one attempt may take to connect. */
    connect_timeout_ms: timeoutMs,
    /** How long one attempt (one HTTP request) may take in all. */
    request_timeout_ms: timeoutMs,
    /** How long one operation may take across the SDK's retries; then it fails as `dynamodb.unavailable`. */
    operation_timeout_ms: timeoutMs,
  })
  .superRefine((config, context) => {
    for (const issue of keyPairIssues(config)) context.addIssue({ code: 'custom', ...issue });
  });

/** A validated configuration, defaults applied. */
export type DynamoDBConfig = z.output<typeof DynamoDBConfigSchema>;
/** What a caller may pass: capacity units are optional. */
export type DynamoDBConfigInput = z.input<typeof DynamoDBConfigSchema>;

function keyPairIssues(config: {
  aws_access_key_id?: unknown;
  aws_secret_access_key?: unknown;
}): { path: string[]; message: string }[] {
  if (config.aws_access_key_id !== undefined && config.aws_secret_access_key === undefined) {
    return [{ path: ['aws_secret_access_key'], message: ERROR_SECRET_KEY_REQUIRED }];
  }
  if (config.aws_secret_access_key !== undefined && config.aws_access_key_id === undefined) {
    return [{ path: ['aws_access_key_id'], message: ERROR_ACCESS_KEY_REQUIRED }];
  }
  return [];
}

export type ConfigIssue = { path: string; message: string };

/**
 * Every problem of a configuration object at once. Zod skips object-level
 * refinements once a field has failed, so the key-pair rule is also checked
 * on the raw input here.
 */
export function validateDynamoDBConfig(input: unknown): { config: DynamoDBConfig } | { issues: ConfigIssue[] } {
  const result = DynamoDBConfigSchema.safeParse(input);
  if (result.success) return { config: result.data };
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(config)', message: issue.message }));
  if (typeof input === 'object' && input !== null) {
    for (const issue of keyPairIssues(input)) {
      const path = issue.path.join('.');
      if (!issues.some((known) => known.path === path)) issues.push({ path, message: issue.message });
    }
  }
  return { issues };
}

/** Validates a configuration object; every problem is reported in one `config.invalid` error. */
export function parseDynamoDBConfig(input: unknown): DynamoDBConfig {
  const result = validateDynamoDBConfig(input);
  if ('config' in result) return result.config;
  throw invalidConfig('Invalid DynamoDB configuration', result.issues);
}

export function invalidConfig(title: string, issues: ConfigIssue[]): VitalsError<'config.invalid'> {
  const list = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new VitalsError('config.invalid', `${title}: ${list}`, { issues });
}
