import type { TestApi } from './test-api.ts';

/** The fields of a stored health entry the health-log route specs compare. */
export interface Entry {
  date: string;
  timestamp: string;
  medication_taken?: string;
  max_pain_level?: number;
}

export const keyOf = (entry: Entry) => `${entry.date}/${entry.timestamp}`;
export const byKey = (a: Entry, b: Entry) => keyOf(a).localeCompare(keyOf(b));

/** Stores an entry through `PUT /v1/health/entries/{date}/{time}`, asserting a 200 without errors, and answers it. */
export async function putEntry(api: TestApi, token: string, date: string, time: string, body: object): Promise<Entry> {
  const response = await api.call('PUT', `/v1/health/entries/${date}/${time}`, { token, body });
  expect([response.status, response.body.errors]).toEqual([200, undefined]);
  return response.body as Entry;
}
