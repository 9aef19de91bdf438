import type { ApiResponse } from './test-api.ts';

/* What the cross-user sweep (middleware/cross-user.e2e.spec.ts) seeds for victim, and how it compares answers. */

export const VICTIM = 'victim';
export const ATTACKER = 'mallory';
/** A user with no data at all: what the attacker sees for victim must be exactly what they see here. */
export const ABSENT = 'nobody-here';

export const VICTIM_READING = {
  timestamp: '2026-02-03T04:05:06.789Z',
  glucose_value: 187,
  trend_direction: 'falling',
  device_info: { device_id: 'victim-g7', serial_number: 'VICTIM-SERIAL-42' },
};
export const VICTIM_TOKENS = {
  access_token: 'victim-access-token-0f3c',
  refresh_token: 'victim-refresh-token-9a1e',
  token_type: 'VictimBearer',
  scope: 'victim:secret-scope',
  expires_at: 1_893_456_789,
};
export const VICTIM_JOB = {
  provider: 'dexcom',
  scheduled_at: '2026-02-02T01:02:03.456Z',
  window_start: '2026-02-01T00:00:00.000Z',
  window_end: '2026-02-02T00:00:00.000Z',
};

export const VICTIM_ENTRY = { date: '2026-02-03', time: '0405', body: { medications: { VictimDrug: '5mg' }, pain: { back: '6-7' }, note: 'victim-note-77' } };

/** Victim's personal access token: a caregiver's, read only. */
export const VICTIM_ACCESS_TOKEN = { name: 'victim-caregiver-token-31', scopes: ['readings:read'] };

/** What a client can observe of a response, less the request id that differs per request by design. */
export function observable(response: ApiResponse) {
  const body: unknown = response.body;
  let rest: unknown = body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const { request_id: _requestId, ...others } = body as Record<string, unknown>;
    rest = others;
  }
  const etag = response.headers.get('etag');
  return {
    status: response.status,
    content_type: response.headers.get('content-type'),
    www_authenticate: response.headers.get('www-authenticate'),
    // Express's weak ETag hashes the body, request id included, so it differs per request and tells nothing more.
    etag: etag?.startsWith('W/"') ? 'weak, of the body' : etag,
    location: response.headers.get('location'),
    body: rest,
  };
}
