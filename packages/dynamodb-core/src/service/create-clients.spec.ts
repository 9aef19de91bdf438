import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SDK_LOGGER_STEP, createClients } from './create-clients.ts';

describe(createClients.name, () => {
  const config = { region_name: 'us-east-1', endpoint_url: 'http://127.0.0.1:1', aws_access_key_id: 'a', aws_secret_access_key: 'b' };

  it('when built, has no SDK logging step in the stack the document client shares', () => {
    const { client, document } = createClients(config as never);
    const names = (stack: { identify(): string[] }) => stack.identify().map((entry) => entry.split(' ')[0]);
    expect(names(client.middlewareStack)).not.toContain(SDK_LOGGER_STEP);
    expect(names(document.middlewareStack)).not.toContain(SDK_LOGGER_STEP);
    // The step exists by that name in a client as the SDK builds it, so the removal is not a no-op.
    expect(names(new DynamoDBClient({ region: 'us-east-1' }).middlewareStack)).toContain(SDK_LOGGER_STEP);
  });
});
