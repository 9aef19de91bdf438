import { UserSettingsInputSchema, UserSettingsSchema } from '@vitals/models';
import { UserSettingsRepository } from '@vitals/repositories';
import type { Container } from 'inversify';
import { UserPathSchema } from './common.schemas.ts';
import { defineRoute, type Route } from './route.ts';

/** The settings as answered: stored ones, or the defaults (no `version` until first saved). */
const EffectiveSettingsSchema = UserSettingsSchema.partial({ version: true, updated_at: true });

/**
 * `/v1/users/{user_id}/settings`: the user's time zone, whose local days the
 * daily glucose rollups and the report's hours use. Reading needs
 * `readings:read` and changing it `readings:write`, as it changes how
 * readings are reported.
 */
export function settingsRoutes(container: Container): Route[] {
  const settings = container.get(UserSettingsRepository);
  return [
    defineRoute({
      operationId: 'getSettings',
      method: 'get',
      path: '/v1/users/{user_id}/settings',
      tag: 'settings',
      summary: "The user's settings (time zone; UTC until set)",
      scope: 'readings:read',
      subject: 'path-user',
      params: UserPathSchema,
      responses: { 200: { description: 'The settings', schema: EffectiveSettingsSchema } },
      handle: async ({ params }) => ({ status: 200, body: await settings.get(params.user_id) }),
    }),
    defineRoute({
      operationId: 'putSettings',
      method: 'put',
      path: '/v1/users/{user_id}/settings',
      tag: 'settings',
      summary: "Set the user's time zone",
      description:
        'The IANA zone of the user’s local days. Daily glucose rollups are kept per local day of this zone; after a change, ' +
        'reports compute days whose rollup is in the old zone from the readings (and store them anew) until ' +
        '`vitals-migrate rollups rebuild` has rebuilt the range.',
      scope: 'readings:write',
      subject: 'path-user',
      params: UserPathSchema,
      body: UserSettingsInputSchema,
      example: { time_zone: 'Europe/Berlin' },
      responses: { 200: { description: 'Stored', schema: UserSettingsSchema } },
      handle: async ({ params, body }) => ({ status: 200, body: await settings.save(params.user_id, body) }),
    }),
  ];
}
