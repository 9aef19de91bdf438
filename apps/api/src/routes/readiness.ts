import type { DynamoDBTables } from '@vitals/dynamodb-core';

/** What `/readyz` reports. */
export type Readiness = { ready: true } | { ready: false; reason: 'unavailable'; detail: string } | { ready: false; reason: 'tablesMissing'; missing: string[] };

export interface ReadinessOptions {
  /** How long a good answer is reused, so probes stay cheap. */
  cacheMs: number;
  /** How long a probe waits before it answers "unavailable": load balancers give up after a second or two. */
  deadlineMs: number;
}

/**
 * Readiness of the DynamoDB side: every table the API needs exists and is
 * usable (DescribeTable each). A good answer is cached briefly; a bad one is
 * not, so recovery shows at once. Probes that arrive while a check runs
 * share it, and each answers within its deadline even if DynamoDB hangs —
 * the check itself is bounded by the client's operation timeout.
 */
export class ReadinessCheck {
  private readyUntil = 0;
  private running: Promise<Readiness> | undefined;

  constructor(
    private readonly db: DynamoDBTables,
    private readonly tables: readonly string[],
    private readonly options: ReadinessOptions,
  ) {}

  async check(): Promise<Readiness> {
    if (performance.now() < this.readyUntil) return { ready: true };
    this.running ??= this.describeAll().finally(() => {
      this.running = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Readiness>((resolve) => {
      timer = setTimeout(
        () => resolve({ ready: false, reason: 'unavailable', detail: `DynamoDB did not answer within ${this.options.deadlineMs} ms` }),
        this.options.deadlineMs,
      );
    });
    try {
      return await Promise.race([this.running, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async describeAll(): Promise<Readiness> {
    let described: { table: string; usable: boolean }[];
    try {
      described = await Promise.all(
        this.tables.map(async (table) => {
          const status = (await this.db.describeTable({ tableName: table }))?.TableStatus;
          // UPDATING (a GSI being added) still serves reads and writes; CREATING and DELETING do not.
          return { table, usable: status === 'ACTIVE' || status === 'UPDATING' };
        }),
      );
    } catch {
      return { ready: false, reason: 'unavailable', detail: 'DynamoDB does not answer' };
    }
    const missing = described.filter((entry) => !entry.usable).map((entry) => entry.table);
    if (missing.length > 0) return { ready: false, reason: 'tablesMissing', missing };
    this.readyUntil = performance.now() + this.options.cacheMs;
    return { ready: true };
  }
}
