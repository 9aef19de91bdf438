import fc from 'fast-check';
import { RUNS, excerpt, json, weirdText } from '../test-support/fuzz-inputs.ts';
import { fuzzTarget } from '../test-support/fuzz-target.ts';
import type { TestApi } from '../test-support/test-api.ts';

describe('fuzzing the API', () => {
  const { started, send, expectWellFormed } = fuzzTarget();
  let api: TestApi;
  let adminToken: string;
  beforeAll(() => {
    ({ api, adminToken } = started());
  });

  describe('health-log map keys', () => {
    /** Names Object.prototype also has, `__proto__` included: the ones plain-object code mistakes for its own. */
    const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
    const VALUES = { medications: '5mg', pain: '6-7', activities: 10 } as const;
    let day = 0;

    it('when a medication, pain location or activity has any name, it round-trips exactly (entry and summary) or is a 400 at its pointer', async () => {
      const name = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), weirdText, fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 12 }));
      const map = fc.constantFrom('medications', 'pain', 'activities') as fc.Arbitrary<keyof typeof VALUES>;
      await fc.assert(
        fc.asyncProperty(name, map, async (key, field) => {
          // A day of its own per run, so the day's summary holds exactly this entry.
          const date = new Date(Date.UTC(2020, 0, 1) + day++ * 86_400_000).toISOString().slice(0, 10);
          const path = `/v1/health/entries/${date}/0800`;
          // A computed key is an own property, so JSON.stringify sends `__proto__` as a key like any other.
          const sent = { [field]: { [key]: VALUES[field] } };
          const what = `PUT ${path} with ${excerpt(JSON.stringify(sent))}`;
          const put = await send('PUT', path, { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, json(sent));
          expectWellFormed(put, what);
          if (put.status === 400) {
            const pointer = `/body/${field}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
            const pointers = (JSON.parse(put.text) as { errors: { pointer: string }[] }).errors.map((error) => error.pointer);
            expect({ what, pointers }).toEqual({ what, pointers: pointers.map(() => pointer) });
            return;
          }
          expect({ what, status: put.status }).toEqual({ what, status: 200 });
          const stored = await api.call('GET', path, { token: adminToken });
          expect({ what, keys: Object.keys(stored.body[field]), value: stored.body[field][key] }).toEqual({ what, keys: [key], value: VALUES[field] });
          const summary = await api.call('GET', `/v1/health/summaries/${date}`, { token: adminToken });
          const totals = field === 'medications' ? summary.body.medication_doses : field === 'activities' ? summary.body.activity_minutes : {};
          expect({ what, totals }).toEqual({ what, totals: field === 'pain' ? {} : { [key]: field === 'medications' ? 1 : VALUES.activities } });
        }),
        {
          // Three requests a run: fewer runs keep the file inside its time budget.
          numRuns: RUNS / 4,
          examples: [['__proto__', 'medications'], ['__proto__', 'pain'], ['constructor', 'medications'], ['constructor', 'pain'], ['constructor', 'activities'], ['toString', 'activities'], ['hasOwnProperty', 'medications'], ['valueOf', 'activities']],
        },
      );
    });
  });
});
